package filter

import (
	"fmt"

	"github.com/f2b/f2b/pkg/datedetect"
)

// detectorDates adapts *datedetect.Detector to DateFinder.
type detectorDates struct{ d *datedetect.Detector }

func (x detectorDates) FindDate(line string) (DateMatch, bool) {
	m, ok := x.d.Find(line)
	return DateMatch{Time: m.Time, Start: m.Start, End: m.End, Template: m.Template}, ok
}

// newDetector builds fail2ban's date detector from datepattern and
// logtimezone.
func newDetector(o Options) (*datedetect.Detector, error) {
	opts := datedetect.Options{Pattern: o.DatePattern, Now: o.Now, Local: o.Local}
	if o.LogTimezone != "" {
		loc, err := datedetect.ParseTimezone(o.LogTimezone)
		if err != nil {
			return nil, fmt.Errorf("logtimezone %q: %w", o.LogTimezone, err)
		}
		opts.Location = loc
	}
	d, err := datedetect.New(opts)
	if err != nil {
		return nil, fmt.Errorf("datepattern %q: %w", o.DatePattern, err)
	}
	return d, nil
}

// DateDetector returns the filter's date detector (for the tester's
// template report), or nil when Options.Dates replaced it.
func (f *Filter) DateDetector() *datedetect.Detector { return f.detector }
