package datedetect

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// lineGen produces deterministic log lines around every date shape the
// templates know, with odd values, near misses and unicode.
type lineGen struct {
	r *rand.Rand
}

func newLineGen(seed uint64) *lineGen {
	return &lineGen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
}

func (g *lineGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *lineGen) num(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// field renders n with odd paddings now and then.
func (g *lineGen) field(lo, hi int, pad string) string {
	v := g.num(lo, hi)
	if g.r.IntN(15) == 0 {
		v = g.num(0, 99) // out of range on purpose
	}
	switch g.r.IntN(6) {
	case 0:
		return fmt.Sprint(v)
	case 1:
		return fmt.Sprintf("%2d", v)
	}
	return fmt.Sprintf("%0"+pad+"d", v)
}

var (
	genMonths = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan", "DEC", "Foo"}
	genDays   = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "sun", "Xyz"}
	genZones  = []string{"Z", "UTC", "GMT", "+0200", "-0530", "+02:00", "-03", "+1400", "PDT", "CET", "ABC", "ChST", "UTC+0100"}
)

func (g *lineGen) year() string {
	return g.pick("2005", "2024", "2026", "2027", "2029", "2030", "1999", "2100", "0000", "2012")
}

func (g *lineGen) hms() string {
	return g.field(0, 23, "2") + ":" + g.field(0, 59, "2") + ":" + g.field(0, 61, "2")
}

// date returns one date in a random known (or almost known) shape.
func (g *lineGen) date() string {
	Y, m, d := g.year(), g.field(1, 12, "2"), g.field(1, 31, "2")
	b := genMonths[g.r.IntN(len(genMonths))]
	frac := g.pick("", "", ".123", ",5", ".123456", ".1234567", ".12")
	zone := g.pick("", "", "", "Z", " +0200", "+02:00", " UTC", " -0700", "  +01")
	switch g.r.IntN(22) {
	case 0:
		return Y + g.pick("-", "/", ".", "-") + m + g.pick("-", "/", ".", "-") + d + g.pick("T", " ", "  ") + g.hms() + frac + zone
	case 1:
		return g.pick("", genDays[g.r.IntN(len(genDays))]+" ") + b + " " + d + " " + g.hms() + frac + g.pick("", " "+Y)
	case 2:
		return g.pick("", genDays[g.r.IntN(len(genDays))]+" ") + b + " " + d + " " + Y + " " + g.hms() + frac
	case 3:
		s := g.pick("/", "-")
		return d + s + m + s + g.pick(Y, Y[2:]) + " " + g.hms()
	case 4:
		s := g.pick("/", "-")
		return d + s + b + s + Y + g.pick(":", " ", "") + g.hms() + g.pick("", " +0000", " -0100", ".252")
	case 5:
		return m + "/" + d + "/" + Y + ":" + g.hms()
	case 6:
		return m + "-" + d + "-" + Y + " " + g.hms() + frac
	case 7:
		return g.epoch()
	case 8:
		return g.hms()
	case 9:
		return "<" + m + "/" + d + "/" + Y[2:] + "@" + g.hms() + ">"
	case 10:
		return fmt.Sprintf("%02d%02d%02d", g.num(0, 99), g.num(1, 12), g.num(1, 31)) + g.pick(" ", "  ") + g.hms()
	case 11:
		return b + " " + d + ", " + Y + " " + g.field(1, 12, "2") + ":" + g.field(0, 59, "2") + ":" + g.field(0, 59, "2") + " " + g.pick("AM", "PM", "am", "pm", "XM")
	case 12:
		return b + "-" + d + "-" + Y[2:] + " " + g.hms()
	case 13:
		return Y + fmt.Sprintf("%02d%02d", g.num(1, 12), g.num(1, 31)) + g.pick("T", " ", "  ") + fmt.Sprintf("%02d%02d%02d", g.num(0, 23), g.num(0, 59), g.num(0, 59)) + frac + zone
	case 14:
		return genZones[g.r.IntN(len(genZones))] + " " + g.pick("", "Sun ") + b + " " + d + " " + g.hms()
	case 15:
		return fmt.Sprintf("@4000%020x", g.r.Uint64()>>g.num(0, 20))[:25] + g.pick("", "A", "0")
	case 16:
		return "t=" + Y + "-" + m + "-" + d + "T" + g.hms() + genZones[g.r.IntN(len(genZones))]
	case 17:
		return d + "/" + b + "/" + Y + ":" + g.hms() + " " + g.pick("+0000", "-0700", "PDT")
	case 18:
		return Y + "-" + m + "-" + d + " " + g.hms() + " " + genZones[g.r.IntN(len(genZones))]
	case 19: // unicode digits
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' && g.r.IntN(3) == 0 {
				return r - '0' + '٠'
			}
			return r
		}, Y+"-"+m+"-"+d+" "+g.hms())
	case 20:
		return "audit(" + g.epoch() + ":" + fmt.Sprint(g.num(1, 999)) + ")"
	}
	return Y + "-" + m + "-" + d + " " + g.hms() + ",123"
}

func (g *lineGen) epoch() string {
	n := fmt.Sprint(g.num(1000000000, 1999999999))
	switch g.r.IntN(6) {
	case 0:
		n += fmt.Sprint(g.num(0, 9)) // 11 digits
	case 1:
		n += fmt.Sprintf("%03d", g.num(0, 999)) // ms
	case 2:
		n += fmt.Sprintf("%06d", g.num(0, 999999)) // us
	case 3:
		n = n[:9] // too short
	}
	return n + g.pick("", "", ".5", ".123", ".123456", ".1234567")
}

// line wraps a date in prefixes and suffixes, sometimes mutating it.
func (g *lineGen) line() string {
	pre := g.pick("", "", "", "", "[", "host ", "x", "é ", "— ", "[[", "##", "  ", "1", "_", "(", "<W>", "L ", "x [", "WARNING: ", "=foo=== ", "Ω", `<co ts="`)
	post := g.pick(" sshd[1]: Failed password for root from 192.0.2.1", "", "]", " x", "1", "a", "Z", " é", ". done", "\t", " 2005")
	s := pre + g.date() + post
	switch g.r.IntN(12) {
	case 0:
		i := g.r.IntN(len(s) + 1)
		s = s[:i] + g.pick("0", " ", "-", ":", "é", "A", "\u00a0") + s[i:]
	case 1:
		if len(s) > 0 {
			i := g.r.IntN(len(s))
			s = s[:i] + s[i+1:]
		}
	case 2:
		s = g.date() + " " + g.date()
	}
	if !utf8Valid(s) {
		return strings.ToValidUTF8(s, "?")
	}
	return s
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
