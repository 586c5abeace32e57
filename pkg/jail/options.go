package jail

import (
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
)

// Options configures New. Only Name is required; the jail's tunables
// (findtime, bantime, …) start at fail2ban's defaults and are changed
// with the setters, as "set <jail> …" does.
type Options struct {
	Name string
	// Logger receives the action messages (Ban, Unban, Restore Ban,
	// already banned) and errors: fail2ban's "fail2ban.actions". nil
	// discards.
	Logger *slog.Logger
	// FilterLogger receives Found and Ignore, fail2ban's
	// "fail2ban.filter"; ObserverLogger receives the bantime.increment
	// messages (IP … is bad, Increase Ban), "fail2ban.observer". nil
	// means Logger.
	FilterLogger   *slog.Logger
	ObserverLogger *slog.Logger
	Now            func() time.Time // default time.Now
	Random         func() float64   // bantime.rndtime source; default math/rand/v2
	Actions        Actions          // nil: bans are only recorded
	Store          Store            // nil: no database
	Resolver       ipaddr.Resolver  // ignoreip names, unbanip by name; nil: none
	IgnoreCommand  IgnoreCommand    // runs ignorecommand; nil: never ignores
	Self           SelfFunc         // ignoreself addresses; nil: none
	// AttemptSkipsIgnore selects fail2ban 1.0.2's "attempt", which
	// neither applies the ignore rules (1.1 does and returns 0 when
	// ignored) nor the bantime.increment bad-IP acceleration.
	AttemptSkipsIgnore bool
	// ActionTimeout bounds the actions run at stop (flush and stop) after
	// the Run context was cancelled; default 1 minute.
	ActionTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.FilterLogger == nil {
		o.FilterLogger = o.Logger
	}
	if o.ObserverLogger == nil {
		o.ObserverLogger = o.Logger
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Random == nil {
		o.Random = rand.Float64
	}
	if o.Actions == nil {
		o.Actions = nopActions{}
	}
	if o.ActionTimeout <= 0 {
		o.ActionTimeout = time.Minute
	}
	return o
}
