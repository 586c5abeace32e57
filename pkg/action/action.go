package action

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Action is one command action of a jail. Its methods are safe for
// concurrent use; calls are serialized per action.
type Action struct {
	jail, name string
	runner     Runner
	log        *slog.Logger
	allowIPv6  func() bool
	hostname   func() string
	now        func() time.Time
	banTime    func() time.Duration
	jailEpoch  *atomic.Int64

	mu      sync.Mutex
	p       *propSet
	epoch   int64
	started map[string]uint8             // family → startedBit|itemsBit
	ran     map[string]map[string]string // operation → family → command run
}

const (
	startedBit uint8 = 1
	itemsBit   uint8 = 2
)

// New returns an action with the properties of opts applied in order.
func New(opts Options) (*Action, error) {
	if opts.Runner == nil {
		return nil, errors.New("action: no runner")
	}
	a := &Action{
		jail:      opts.Jail,
		name:      opts.Name,
		runner:    opts.Runner,
		log:       opts.Logger,
		allowIPv6: opts.AllowIPv6,
		hostname:  opts.Hostname,
		now:       opts.Now,
		banTime:   opts.BanTime,
		jailEpoch: opts.BanEpoch,
		p:         newPropSet(opts.Timeout),
		started:   map[string]uint8{},
		ran:       map[string]map[string]string{},
	}
	a.fillDefaults()
	for _, p := range opts.Props {
		if err := a.Set(p.Name, p.Value); err != nil {
			return nil, fmt.Errorf("action %q: %w", opts.Name, err)
		}
	}
	return a, nil
}

func (a *Action) fillDefaults() {
	if a.log == nil {
		a.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	a.log = a.log.With(logKeyJail, a.jail, logKeyAction, a.name)
	if a.allowIPv6 == nil {
		a.allowIPv6 = func() bool { return true }
	}
	if a.hostname == nil {
		a.hostname = func() string { h, _ := os.Hostname(); return h }
	}
	if a.now == nil {
		a.now = time.Now
	}
}

// Name returns the action name.
func (a *Action) Name() string { return a.name }

// Get returns a property: a string, or for "timeout" an int64 or float64
// number of seconds as fail2ban replies.
func (a *Action) Get(name string) (any, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.p.get(name)
}

// Set sets a property (any name, including "x?family=inet6"). "timeout"
// goes through str2seconds; "bantime" is ignored as in fail2ban. Setting
// any property clears the rendering caches.
func (a *Action) Set(name, value string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.p.set(name, value)
}

// Props returns every property in the order first set.
func (a *Action) Props() []Prop {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.p.list()
}

// Clear resets every property to its default (fail2ban's clearAllParams,
// used when a reload keeps the action).
func (a *Action) Clear() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.p = newPropSet(a.p.defTimeout)
}

// BanEpoch returns the action's ban epoch; it grows when an invariant
// check fails and the environment is repaired.
func (a *Action) BanEpoch() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.epoch
}

func (a *Action) invalidateBanEpoch() {
	if a.jailEpoch != nil {
		a.epoch = a.jailEpoch.Add(1)
		return
	}
	a.epoch++
}

// Render returns the command that op (e.g. "actionban") would run for t
// (nil for operations without a ticket) in family ("inet4", "inet6" or "";
// ignored with a ticket, whose address decides), with the action's
// timeout. It does not run anything.
func (a *Action) Render(op string, family string, t *Ticket) (Command, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var c Command
	if t != nil {
		var err error
		if c, err = a.renderTicket("<"+op+">", t); err != nil {
			return Command{}, err
		}
	} else {
		cmd, err := a.operation("<"+op+">", family)
		if err != nil {
			return Command{}, err
		}
		c = a.renderDynamic(cmd, tagInfo{family: family, now: a.now(), banTime: a.banTime})
	}
	c.Timeout = a.p.timeout
	return c, nil
}
