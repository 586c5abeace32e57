package action

import (
	"context"
	"errors"
	"regexp"
	"strings"
)

// BulkBanner is implemented by actions that can ban many tickets with far
// fewer commands than one per ticket, e.g. when a jail restores a million
// bans from the database at start. The jail type-asserts for it and falls
// back to Ban per ticket otherwise.
type BulkBanner interface {
	// BanMany bans every ticket, starting families on demand like Ban.
	// The error joins the failures of individual tickets.
	BanMany(ctx context.Context, tickets []*Ticket) error
}

var _ BulkBanner = (*Action)(nil)

// maxBatchScript keeps one batch script below Linux's 128 KiB limit for a
// single exec argument.
const maxBatchScript = 120 << 10

// batchers recognise ban templates (after property substitution) that have
// a batch form. Only <ip> may be left in the template, so every other part
// is trusted configuration; IPs come from netip and never need escaping.
var batchers = []struct {
	re *regexp.Regexp
	// head builds the script's first line from the template's groups;
	// line appends the line for ips to b.
	head func(m []string) string
	line func(b []byte, m []string, ips []*Ticket) []byte
	// perLine is how many IPs one line may carry.
	perLine int
}{
	{ // nftables*.conf: <nftables> add element <family> <table> <set> \{ <ip> \}
		// (the backslashes are optional: the shell reads a lone { } the same)
		re:   regexp.MustCompile(`^([\w./-]*nft) add element ([\w.-]+) ([\w.-]+) ([\w.-]+) \\?\{ <ip> \\?\}$`),
		head: func(m []string) string { return m[1] + " -f - <<'F2B_EOF'\n" },
		line: func(b []byte, m []string, ips []*Ticket) []byte {
			b = append(b, "add element "+m[2]+" "+m[3]+" "+m[4]+" { "...)
			for i, t := range ips {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = t.IP.Unmap().AppendTo(b)
			}
			return append(b, " }\n"...)
		},
		perLine: 500,
	},
	{ // iptables-ipset*.conf, shorewall-ipset: ipset [-exist] add <set> <ip> [opts]
		re:   regexp.MustCompile(`^([\w./-]*ipset) (-exist )?add ([\w.-]+) <ip>((?: [\w.-]+)*)$`),
		head: func(m []string) string { return m[1] + " " + m[2] + "restore <<'F2B_EOF'\n" },
		line: func(b []byte, m []string, ips []*Ticket) []byte {
			b = append(b, "add "+m[3]+" "...)
			b = ips[0].IP.Unmap().AppendTo(b)
			return append(b, m[4]+"\n"...)
		},
		perLine: 1,
	},
}

// BanMany implements BulkBanner: for actionban templates of the nftables
// and ipset shapes it runs one batch command per family (split to stay
// below the argument size limit); other actions, non-IP tickets and failed
// batches fall back to Ban ticket by ticket.
func (a *Action) BanMany(ctx context.Context, tickets []*Ticket) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	byFam := map[string][]*Ticket{}
	var fams []string
	var errs []error
	for _, t := range tickets {
		f := t.family()
		if f == "" {
			errs = append(errs, a.ban(ctx, t, "<actionban>"))
			continue
		}
		if _, ok := byFam[f]; !ok {
			fams = append(fams, f)
			byFam[f] = make([]*Ticket, 0, len(tickets))
		}
		byFam[f] = append(byFam[f], t)
	}
	for _, f := range fams {
		errs = append(errs, a.banFamily(ctx, f, byFam[f]))
	}
	return errors.Join(errs...)
}

// banFamily bans tickets of one family, in batches when possible.
func (a *Action) banFamily(ctx context.Context, fam string, tickets []*Ticket) error {
	scripts := a.batchScripts(fam, tickets)
	if scripts == nil {
		return a.banEach(ctx, tickets)
	}
	if a.startOnDemand() && a.started[fam] == 0 {
		if err := a.start(ctx, []string{fam}, true); err != nil {
			return err
		}
	}
	var errs []error
	for _, s := range scripts {
		if a.exec(ctx, Command{Script: s.script}) {
			a.started[fam] |= startedBit | itemsBit
			continue
		}
		errs = append(errs, a.banEach(ctx, s.tickets))
	}
	return errors.Join(errs...)
}

func (a *Action) banEach(ctx context.Context, tickets []*Ticket) error {
	var errs []error
	for _, t := range tickets {
		errs = append(errs, a.ban(ctx, t, "<actionban>"))
	}
	return errors.Join(errs...)
}

type batchScript struct {
	script  string
	tickets []*Ticket
}

// batchScripts returns the batch scripts for tickets, or nil when the
// action's ban template has no batch form.
func (a *Action) batchScripts(fam string, tickets []*Ticket) []batchScript {
	tmpl, err := a.replaceTag("<actionban>", condFor(fam))
	if err != nil || strings.Count(tmpl, "<ip>") != 1 || hasTag(strings.Replace(tmpl, "<ip>", "", 1)) {
		return nil
	}
	for _, b := range batchers {
		m := b.re.FindStringSubmatch(tmpl)
		if m == nil {
			continue
		}
		return buildBatches(b.head(m), "F2B_EOF\n", tickets, b.perLine, func(buf []byte, ips []*Ticket) []byte { return b.line(buf, m, ips) })
	}
	return nil
}

// buildBatches packs tickets into scripts of at most maxBatchScript bytes.
// A restore sends a million tickets through here, so each script is built
// in one buffer and refers to its run of tickets instead of copying it.
func buildBatches(head, tail string, tickets []*Ticket, perLine int, line func([]byte, []*Ticket) []byte) []batchScript {
	var out []batchScript
	var script, l []byte
	first := 0 // the current script's first ticket
	for i := 0; i < len(tickets); i += perLine {
		end := min(i+perLine, len(tickets))
		l = line(l[:0], tickets[i:end])
		if len(script) > 0 && len(script)+len(l)+len(tail) > maxBatchScript {
			out = append(out, batchScript{script: string(append(script, tail...)), tickets: tickets[first:i]})
			script, first = script[:0], i
		}
		if len(script) == 0 {
			script = append(script, head...)
		}
		script = append(script, l...)
	}
	if len(script) > 0 {
		out = append(out, batchScript{script: string(append(script, tail...)), tickets: tickets[first:]})
	}
	return out
}
