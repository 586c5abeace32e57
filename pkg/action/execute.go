package action

import (
	"context"
	"slices"
	"strings"
)

// families lists the families start/stop operate on: `families` if set,
// inet4+inet6 (inet4 only without IPv6) for conditional actions, else "".
func (a *Action) families() []string {
	if v := strings.TrimSpace(a.p.vals["families"]); v != "" {
		return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	}
	if a.p.hasCondSection() {
		if a.allowIPv6() {
			return []string{"inet4", "inet6"}
		}
		return []string{"inet4"}
	}
	return []string{""}
}

func (a *Action) startOnDemand() bool {
	if v, ok := a.p.bool("actionstart_on_demand"); ok {
		return v
	}
	return a.p.hasCondSection()
}

// familyOrder returns the known families in a stable order.
func (a *Action) familyOrder() []string {
	fams := make([]string, 0, len(a.started))
	for f := range a.started {
		fams = append(fams, f)
	}
	slices.Sort(fams)
	return fams
}

func (a *Action) startedFamilies(mask uint8) []string {
	var out []string
	for _, f := range a.familyOrder() {
		if a.started[f]&mask != 0 {
			out = append(out, f)
		}
	}
	return out
}

// execOp renders and runs a ticketless operation for each family; a
// command identical to one already run for another family is not repeated.
func (a *Action) execOp(ctx context.Context, tag, what string, fams []string, after func(string, bool)) error {
	res := true
	cause := ErrScript
	for _, fam := range fams {
		cmd, err := a.operation(tag, fam)
		if err != nil {
			res, cause = false, err
			continue
		}
		ok := true
		if cmd != "" && !a.ranElsewhere(tag, fam, cmd) {
			ok = a.exec(ctx, a.renderDynamic(cmd, tagInfo{family: fam, now: a.now(), banTime: a.banTime}))
			res = res && ok
		}
		if after != nil {
			after(fam, ok)
		}
		if !ok {
			cmd = ""
		}
		a.setRan(tag, fam, cmd)
	}
	if !res {
		return &OpError{Op: what, Jail: a.jail, Action: a.name, Err: cause}
	}
	return nil
}

func (a *Action) ranElsewhere(tag, fam, cmd string) bool {
	for f, v := range a.ran[tag] {
		if f != fam && v == cmd {
			return true
		}
	}
	return false
}

// setRan records cmd as run for (tag, fam); an empty cmd forgets it, along
// with every other family that ran the same command.
func (a *Action) setRan(tag, fam, cmd string) {
	m := a.ran[tag]
	if cmd != "" {
		if m == nil {
			m = map[string]string{}
			a.ran[tag] = m
		}
		m[fam] = cmd
		return
	}
	old, ok := m[fam]
	if !ok {
		return
	}
	for f, v := range m {
		if v == old {
			delete(m, f)
		}
	}
}

// exec runs one rendered command; an empty one succeeds without running.
func (a *Action) exec(ctx context.Context, c Command) bool {
	if c.Script == "" {
		return true
	}
	c.Timeout = a.p.timeout
	_, err := a.runner.Run(ctx, c)
	if err != nil {
		a.log.Debug("action command failed", logKeyErr, err)
	}
	return err == nil
}

// processCmd runs a per-ticket operation; on failure it runs the invariant
// check (repairing if needed) and retries once, or without actioncheck
// simply retries once.
func (a *Action) processCmd(ctx context.Context, tag string, t *Ticket) bool {
	fam := t.family()
	for rep := 0; ; rep++ {
		if rep > 0 && a.p.vals["actioncheck"] != "" {
			if a.invariantCheck(ctx, fam, a.beforeRepair(tag), tag != "<actionunban>") != 1 {
				return false
			}
		}
		c, err := a.renderTicket(tag, t)
		if err != nil {
			a.log.Error("rendering action command", logKeyOp, tag, logKeyErr, err)
			return false
		}
		if ok := a.exec(ctx, c); ok || rep > 0 {
			return ok
		}
	}
}

func (a *Action) beforeRepair(tag string) func() bool {
	return func() bool {
		if v, _ := a.p.bool("actionrepair_on_unban"); tag == "<actionunban>" && !v {
			a.log.Error("Invariant check failed. Unban is impossible.")
			return false
		}
		return true
	}
}

// invariantCheck runs actioncheck for fam and repairs on failure. It
// returns 1 when sane, 0 when repair failed and -1 when beforeRepair
// declined the repair.
func (a *Action) invariantCheck(ctx context.Context, fam string, beforeRepair func() bool, forceStart bool) int {
	if _, ok := a.started[fam]; !forceStart && !ok {
		return 1
	}
	check, err := a.operation("<actioncheck>", fam)
	if err != nil {
		a.log.Error("rendering actioncheck", logKeyErr, err)
		return 0
	}
	if check == "" || a.exec(ctx, Command{Script: check}) {
		return 1
	}
	if beforeRepair != nil && !beforeRepair() {
		return -1
	}
	a.log.Error("Invariant check failed. Trying to restore a sane environment")
	a.invalidateBanEpoch()
	if !a.repair(ctx, fam, forceStart) {
		return 0
	}
	if a.started[fam] != 0 && !a.exec(ctx, Command{Script: check}) {
		a.log.Error("Unable to restore environment", "critical", true)
		return 0
	}
	return 1
}

// repair runs actionrepair for fam, or stops and starts the family.
func (a *Action) repair(ctx context.Context, fam string, forceStart bool) bool {
	cmd, err := a.operation("<actionrepair>", fam)
	if err != nil {
		a.log.Error("rendering actionrepair", logKeyErr, err)
		return false
	}
	if cmd != "" {
		if !a.exec(ctx, Command{Script: cmd}) {
			a.started[fam] = 0
			a.log.Error("Unable to restore environment", "critical", true)
			return false
		}
		a.started[fam] = startedBit
		return true
	}
	_ = a.stopFamily(ctx, fam) // a failing stop must not prevent the start
	if err := a.start(ctx, []string{fam}, forceStart || !a.startOnDemand()); err != nil {
		a.log.Error("restarting action", logKeyErr, err)
		return false
	}
	return true
}
