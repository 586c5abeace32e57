package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrScript is the cause of a failed operation: at least one command did
// not exit with status 0.
var ErrScript = errors.New("script error")

// OpError reports a failed ticketless operation. fail2ban words it as
// RuntimeError("Error starting action Jail('sshd')/iptables: 'Script error'").
type OpError struct {
	// Op is "starting", "stopping", "flushing" or "reloading".
	Op           string
	Jail, Action string
	// Err is ErrScript or the rendering error (e.g. ErrSelfReference).
	Err error
}

func (e *OpError) Error() string {
	return fmt.Sprintf("error %s action %s/%s: %v", e.Op, e.Jail, e.Action, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

// Start runs actionstart for every family of the action, unless the action
// starts on demand (then the first ban of a family starts it).
func (a *Action) Start(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.start(ctx, nil, false)
}

func (a *Action) start(ctx context.Context, fams []string, force bool) error {
	if !force && a.startOnDemand() {
		return nil
	}
	if fams == nil {
		fams = a.families()
	}
	return a.execOp(ctx, "<actionstart>", "starting", fams, func(fam string, ok bool) {
		if ok {
			a.setRan("<actionstop>", fam, "")
			a.started[fam] = startedBit
		}
	})
}

// Stop runs actionstop for every started family and forgets them.
func (a *Action) Stop(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	fams := a.startedFamilies(startedBit | itemsBit)
	if len(fams) == 0 {
		return nil
	}
	a.started = map[string]uint8{}
	return a.stopFams(ctx, fams)
}

func (a *Action) stopFams(ctx context.Context, fams []string) error {
	return a.execOp(ctx, "<actionstop>", "stopping", fams, func(fam string, ok bool) {
		if ok {
			a.setRan("<actionstart>", fam, "")
		}
	})
}

// stopFamily stops one family during a repair.
func (a *Action) stopFamily(ctx context.Context, fam string) error {
	if _, ok := a.started[fam]; !ok {
		return nil
	}
	a.started[fam] = 0
	return a.stopFams(ctx, []string{fam})
}

// Flush runs actionflush once for every family holding bans. The caller
// unbans ticket by ticket instead when HasFlush is false.
func (a *Action) Flush(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var fams []string
	for _, f := range a.familyOrder() {
		if a.started[f]&(startedBit|itemsBit) == startedBit|itemsBit {
			fams = append(fams, f)
		}
	}
	if len(fams) == 0 {
		return nil
	}
	return a.execOp(ctx, "<actionflush>", "flushing", fams, func(fam string, ok bool) {
		if ok && a.started[fam] != 0 {
			a.started[fam] &^= itemsBit
		}
	})
}

// Reload runs actionreload for every started family.
func (a *Action) Reload(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.execOp(ctx, "<actionreload>", "reloading", a.startedFamilies(startedBit|itemsBit), nil)
}

// Ban runs actionban for t, first starting t's family if the action starts
// on demand. On failure it checks the invariant and retries (see
// processCmd).
func (a *Action) Ban(ctx context.Context, t *Ticket) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ban(ctx, t, "<actionban>")
}

// Reban runs actionreban (or actionban when it is empty) for t.
func (a *Action) Reban(ctx context.Context, t *Ticket) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.p.vals["actionreban"] != "" {
		return a.ban(ctx, t, "<actionreban>")
	}
	return a.ban(ctx, t, "<actionban>")
}

func (a *Action) ban(ctx context.Context, t *Ticket, tag string) error {
	fam := t.family()
	if a.startOnDemand() && a.started[fam] == 0 {
		if err := a.start(ctx, []string{fam}, true); err != nil {
			return err
		}
	}
	if !a.processCmd(ctx, tag, t) {
		return fmt.Errorf("error banning %s: %w", t.id(), ErrScript)
	}
	a.started[fam] |= startedBit | itemsBit
	return nil
}

// Unban runs actionunban for t if t's family holds bans of this action.
func (a *Action) Unban(ctx context.Context, t *Ticket) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.started[t.family()]&itemsBit == 0 {
		return nil
	}
	if !a.processCmd(ctx, "<actionunban>", t) {
		return fmt.Errorf("error unbanning %s: %w", t.id(), ErrScript)
	}
	return nil
}

// Prolong runs actionprolong for t (after a bantime increase).
func (a *Action) Prolong(ctx context.Context, t *Ticket) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.processCmd(ctx, "<actionprolong>", t) {
		return fmt.Errorf("error prolonging %s: %w", t.id(), ErrScript)
	}
	return nil
}

// Check runs actioncheck for every started family and repairs a failing
// one (fail2ban's consistencyCheck). It returns ErrCheckFailed when a
// family could not be made sane again.
func (a *Action) Check(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.p.vals["actioncheck"] == "" {
		return nil
	}
	var failed []string
	for _, fam := range a.startedFamilies(startedBit | itemsBit) {
		if a.invariantCheck(ctx, fam, nil, true) != 1 {
			a.started[fam] = 0
			a.setRan("<actionstart>", fam, "")
			failed = append(failed, fam)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w: families %q", ErrCheckFailed, failed)
	}
	return nil
}

// Repair restores a sane environment for family: actionrepair, or stop
// and start of that family when actionrepair is empty. It increments the
// ban epoch so already banned tickets are re-banned.
func (a *Action) Repair(ctx context.Context, family string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.invalidateBanEpoch()
	if !a.repair(ctx, family, true) {
		return fmt.Errorf("%w: family %q", ErrCheckFailed, family)
	}
	return nil
}

// ErrCheckFailed means the invariant check failed and repair did not help.
var ErrCheckFailed = errors.New("unable to restore environment")

// HasFlush reports whether actionflush is set; without it the jail unbans
// ticket by ticket when flushing.
func (a *Action) HasFlush() bool { return a.propSet("actionflush") }

// Prolongable reports whether actionprolong is set to a command.
func (a *Action) Prolongable() bool { return a.propSet("actionprolong") }

// NoRestored reports the `norestored` property: restored bans skip this
// action.
func (a *Action) NoRestored() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	v, _ := a.p.bool("norestored")
	return v
}

func (a *Action) propSet(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.TrimSpace(a.p.vals[name]) != ""
}
