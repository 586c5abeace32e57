package jail

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/f2b/f2b/pkg/ipaddr"
)

// Sentinel errors.
var (
	ErrRunning   = errors.New("jail already running")
	ErrBadOption = errors.New("invalid option")
)

// Jail is one jail's failure counter, ban list and action driver. All
// methods are safe for concurrent use.
type Jail struct {
	opts Options
	log  *slog.Logger // actions messages and errors
	flog *slog.Logger // Found and Ignore
	olog *slog.Logger // bantime.increment observer
	fm   *failManager

	// sysNow: opts.Now is time.Now, so an attempt's failure time is also
	// the time of its log line (one clock read instead of two).
	sysNow bool

	banMu     sync.RWMutex // guards bm
	bm        *banManager
	actMu     sync.Mutex // serialises ban/unban sequences and their actions
	lastCheck time.Time  // last Checker.Check, guarded by actMu

	cfgMu    sync.RWMutex // guards ignore, extra, idle
	ignore   ignoreRules
	extra    *banCalc
	idle     bool
	ignoreIP ipaddr.Set

	selfOnce sync.Once
	self     []netip.Addr

	qMu   sync.Mutex
	queue []Ticket
	wake  chan struct{}

	runMu  sync.Mutex
	cancel func()
	done   chan struct{}
}

// New creates a stopped jail with fail2ban's defaults (ignoreself on).
func New(opts Options) (*Jail, error) {
	if opts.Name == "" {
		return nil, fmt.Errorf("jail: name: %w", ErrBadOption)
	}
	sysNow := opts.Now == nil
	opts = opts.withDefaults()
	extra, _ := compileBanTimeExtra(BanTimeExtra{})
	return &Jail{
		opts:   opts,
		log:    opts.Logger.With(logKeyJail, opts.Name),
		flog:   opts.FilterLogger.With(logKeyJail, opts.Name),
		olog:   opts.ObserverLogger.With(logKeyJail, opts.Name),
		fm:     newFailManager(),
		bm:     newBanManager(),
		ignore: ignoreRules{self: true},
		extra:  extra,
		sysNow: sysNow,
		wake:   make(chan struct{}, 1),
	}, nil
}

// Name returns the jail name.
func (j *Jail) Name() string { return j.opts.Name }

func (j *Jail) now() time.Time { return j.opts.Now() }

// IgnoreIP returns the jail's ignoreip set, for addignoreip/delignoreip
// and get ignoreip.
func (j *Jail) IgnoreIP() *ipaddr.Set { return &j.ignoreIP }
