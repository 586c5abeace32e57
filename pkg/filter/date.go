package filter

import (
	"regexp"
	"time"
)

// TODO(datedetect): replace this stand-in with pkg/datedetect once it
// lands; it only knows ISO-8601 and syslog stamps near the line start.

var shimDateRE = regexp.MustCompile(`^\W{0,2}(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|[A-Z][a-z]{2} [ 0-3]\d \d\d:\d\d:\d\d)`)

type shimDates struct {
	loc *time.Location
	now func() time.Time
}

func newDateFinder(o Options) (DateFinder, error) {
	loc := time.Local
	if o.LogTimezone != "" {
		l, err := time.LoadLocation(o.LogTimezone)
		if err != nil {
			return nil, err
		}
		loc = l
	}
	return shimDates{loc: loc, now: o.Now}, nil
}

func (d shimDates) FindDate(line string) (DateMatch, bool) {
	m := shimDateRE.FindStringSubmatchIndex(line)
	if m == nil {
		return DateMatch{}, false
	}
	s := line[m[2]:m[3]]
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, d.loc)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02 15:04:05", s, d.loc)
	}
	if err != nil {
		t, err = time.ParseInLocation("Jan _2 15:04:05", s, d.loc)
		t = t.AddDate(d.now().In(d.loc).Year(), 0, 0)
	}
	if err != nil {
		return DateMatch{Start: m[2], End: m[3]}, true
	}
	return DateMatch{Time: t, Start: m[2], End: m[3]}, true
}
