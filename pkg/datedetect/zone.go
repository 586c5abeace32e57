package datedetect

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// zoneOffsets maps fail2ban's fixed zone abbreviations to minutes east of
// UTC. fail2ban applies them without any DST logic. It is built on first
// use, not at start-up.
var zoneOffsets = sync.OnceValue(buildZoneTable)

// zoneTable lists offsets (in quarter hours east of UTC) and abbreviations.
var zoneTable = []struct {
	quarters int
	names    string
}{
	{-48, "Y"}, {-44, "X NUT SST"}, {-40, "W CKT HAST HST TAHT TKT"},
	{-36, "V AKST GAMT GIT HADT HNY"}, {-32, "U AKDT CIST HAY HNP PST PT"},
	{-28, "T HAP HNR MST PDT"}, {-24, "S CST EAST GALT HAR HNC MDT"},
	{-20, "R CDT COT EASST ECT EST ET HAC HNE PET"},
	{-16, "Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT"},
	{-12, "P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT"},
	{-8, "O BRST FNT PMDT UYST WGST"}, {-4, "N AZOT CVT EGT"},
	{0, "Z EGST GMT UTC WET WT"}, {4, "A CET DFT WAT WEDT WEST"},
	{8, "B CAT CEDT CEST EET SAST WAST"}, {12, "C EAT EEDT EEST IDT MSK"},
	{16, "D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT"},
	{20, "E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT"},
	{24, "F ALMT BIOT BTT IOT KGT NOVT OMST YEKST"},
	{28, "G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB"},
	{32, "H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST"},
	{36, "I AWDT IRKST JST KST PWT TLT WDT WIT YAKT"},
	{40, "K AEST ChST PGT VLAT YAKST YAPT"},
	{44, "L AEDT LHDT MAGT NCT PONT SBT VLAST VUT"},
	{48, "M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT"},
	{52, "FJST NZDT"}, {46, "NFT"}, {42, "ACDT LHST"}, {38, "ACST"},
	{26, "CCT MMT"}, {23, "NPT"}, {22, "SLT"}, {18, "AFT IRDT"}, {14, "IRST"},
	{-10, "HAT NDT"}, {-14, "HNT NST NT"}, {-18, "HLV VET"}, {-38, "MART MIT"},
}

func buildZoneTable() map[string]int {
	m := make(map[string]int)
	for _, row := range zoneTable {
		for _, name := range strings.Fields(row.names) {
			m[name] = row.quarters * 15
		}
	}
	return m
}

// errZone reports a zone text fail2ban cannot turn into an offset.
var errZone = fmt.Errorf("unknown or unsupported time zone")

// zoneMinutes converts fail2ban's zone syntax — an optional upper-case
// abbreviation from the table followed by an optional [+-]hh[[:]mm] — into
// minutes east of UTC. The empty string is UTC.
func zoneMinutes(s string) (int, error) {
	abbr, off := splitZone(s)
	if abbr == "" && off == "" && s != "" {
		return 0, errZone
	}
	base, ok := 0, true
	if abbr != "" {
		base, ok = zoneOffsets()[abbr]
		if !ok {
			return 0, errZone
		}
	}
	if off == "" {
		return base, nil
	}
	sign := 1
	if off[0] == '-' {
		sign = -1
	}
	hh, _ := pyInt(off[1:3])
	switch {
	case len(off) <= 3:
		return base + sign*hh*60, nil
	case off[3] != ':':
		mm, _ := pyInt(off[3:5])
		return base + sign*(hh*60+mm), nil
	default:
		mm, _ := pyInt(off[4:6])
		return base + sign*(hh*60+mm), nil
	}
}

// splitZone splits s into abbreviation and offset following fail2ban's
// `^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\d(?::?\d{2})?)?$`; both results are
// empty when s does not have that shape. Offsets are ASCII here: a zone
// written with other digits is rejected (fail2ban would accept them).
func splitZone(s string) (abbr, off string) {
	n := 0
	for n < len(s) && n < 5 && s[n] >= 'A' && s[n] <= 'Z' {
		n++
	}
	if n == 2 {
		n = 1
	}
	rest := s[n:]
	if rest == "" {
		return s[:n], ""
	}
	if !validOffset(rest) {
		return "", ""
	}
	return s[:n], rest
}

// validOffset reports whether s is [+-][01]\d(?::?\d{2})? exactly.
func validOffset(s string) bool {
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') || (s[1] != '0' && s[1] != '1') || !isASCIIDigit(s[2]) {
		return false
	}
	t := s[3:]
	if t == "" {
		return true
	}
	if t[0] == ':' {
		t = t[1:]
	}
	return len(t) == 2 && isASCIIDigit(t[0]) && isASCIIDigit(t[1])
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// ParseTimezone parses a `logtimezone` value as fail2ban accepts it: an
// optional abbreviation from fail2ban's fixed table (`UTC`, `CET`, `PDT`…)
// followed by an optional `[+-]hh[[:]mm]` offset, e.g. "UTC+0200",
// "+05:30", "CET". The empty string is UTC. Named zones such as
// "Europe/Paris" are rejected, as fail2ban rejects them.
func ParseTimezone(s string) (*time.Location, error) {
	min, err := zoneMinutes(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", err, s)
	}
	name := s
	if name == "" {
		name = "UTC"
	}
	return time.FixedZone(name, min*60), nil
}
