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

// maxBatchInput bounds one batch command's input (about 70,000 IPv4 or
// 40,000 IPv6 addresses): fewer commands make a restore faster, smaller
// ones make a failed batch's one-by-one fallback shorter. The input goes
// to the command's stdin, so no argument size limit applies. A variable
// for the tests.
var maxBatchInput = 1 << 20

// batchers recognise ban templates (after property substitution) that have
// a batch form. Only <ip> may be left in the template, so every other part
// is trusted configuration; IPs come from netip and never need escaping.
var batchers = []struct {
	re *regexp.Regexp
	// script builds the command, which reads the batch from stdin, from
	// the template's groups; line appends the batch's line for ips to b.
	script func(m []string) string
	line   func(b []byte, m []string, ips []*Ticket) []byte
	// perLine is how many IPs one line may carry.
	perLine int
}{
	{ // nftables*.conf: <nftables> add element <family> <table> <set> \{ <ip> \}
		// (the backslashes are optional: the shell reads a lone { } the same)
		re:     regexp.MustCompile(`^([\w./-]*nft) add element ([\w.-]+) ([\w.-]+) ([\w.-]+) \\?\{ <ip> \\?\}$`),
		script: func(m []string) string { return m[1] + " -f -" },
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
		re:     regexp.MustCompile(`^([\w./-]*ipset) (-exist )?add ([\w.-]+) <ip>((?: [\w.-]+)*)$`),
		script: func(m []string) string { return m[1] + " " + m[2] + "restore" },
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
		if a.exec(ctx, s.cmd) {
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
	cmd     Command
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
		return buildBatches(b.script(m), tickets, b.perLine, func(buf []byte, ips []*Ticket) []byte { return b.line(buf, m, ips) })
	}
	return nil
}

// buildBatches packs tickets into batches of at most maxBatchInput bytes
// for script. A restore sends a million tickets through here, so each
// batch is built in one buffer and refers to its run of tickets instead of
// copying it.
func buildBatches(script string, tickets []*Ticket, perLine int, line func([]byte, []*Ticket) []byte) []batchScript {
	var out []batchScript
	var in, l []byte
	first := 0 // the current batch's first ticket
	for i := 0; i < len(tickets); i += perLine {
		end := min(i+perLine, len(tickets))
		l = line(l[:0], tickets[i:end])
		if len(in) > 0 && len(in)+len(l) > maxBatchInput {
			out = append(out, batchScript{cmd: Command{Script: script, Stdin: string(in)}, tickets: tickets[first:i]})
			in, first = in[:0], i
		}
		in = append(in, l...)
	}
	if len(in) > 0 {
		out = append(out, batchScript{cmd: Command{Script: script, Stdin: string(in)}, tickets: tickets[first:]})
	}
	return out
}
