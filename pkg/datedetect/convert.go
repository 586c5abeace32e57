package datedetect

import (
	"strings"
	"time"
)

var (
	monthAbbr = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	monthFull = []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	dayAbbr = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	dayFull = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)

// clock is what converting a date needs to know about the process.
type clock struct {
	now   time.Time      // current instant
	local *time.Location // the process time zone (dates without a zone)
	tz    *time.Location // logtimezone, nil if unset
	lz    zoneCache      // periods of local
	tzz   zoneCache      // periods of tz
	today civilDay       // local date of now, cached by day
	// naiveNow's answer for the instant naiveOf
	naiveOf         time.Time
	naive, naiveDay int64
	naiveOK         bool
}

// civilDay caches the calendar date of one naive day number.
type civilDay struct {
	day            int64 // naive seconds / 86400
	year, month, d int
	ok             bool
}

// date returns the date of the naive day number day.
func (c *civilDay) date(day int64) (y, m, d int) {
	if !c.ok || day != c.day {
		t := time.Unix(day*86400, 0).UTC()
		c.day, c.year, c.month, c.d, c.ok = day, t.Year(), int(t.Month()), t.Day(), true
	}
	return c.year, c.month, c.d
}

// fields collects the strptime values of one match.
type fields struct {
	year, month, day                 int
	hasYear, hasMonth, hasDay        bool
	hour, minute, second             int
	weekday, julian, week, weekStart int
	hasWeekday, hasJulian, hasWeek   bool
	tzMin                            int
	hasTZ                            bool
}

// strptimeSeconds turns the named groups of a match into seconds since the
// epoch following fail2ban's reGroupDictStrptime. ok is false where
// fail2ban gets no date (it raises, or returns None).
func strptimeSeconds(line string, loc []int, m *matcher, c *clock) (int64, bool) {
	now, day := c.naiveNow()
	b := minuteOf(line, loc, m, c, day)
	return b.seconds(line, loc, m, c, now)
}

// minuteOf reads every group of a match except the seconds (%S) and
// resolves the date and minute it names; day is the local day of now
// (year inference and "today" read it).
func minuteOf(line string, loc []int, m *matcher, c *clock, day int64) minuteBase {
	var f fields
	for i, key := range m.keys {
		if key == 0 || key == 'S' || loc[2*i+2] < 0 {
			continue
		}
		val := line[loc[2*i+2]:loc[2*i+3]]
		if !f.set(key, val, line, loc, m.names) {
			return minuteBase{}
		}
	}
	ny, nm, nd := c.today.date(day)
	return f.resolveMinute(ny, nm, nd)
}

// naiveNow returns the current instant as naive local seconds and its day
// number.
func (c *clock) naiveNow() (now, day int64) {
	if c.now == c.naiveOf && c.naiveOK {
		return c.naive, c.naiveDay // a server reads its clock once per batch of lines
	}
	now = c.now.Unix()
	now += c.lz.offset(now)
	c.naiveOf, c.naive, c.naiveDay, c.naiveOK = c.now, now, floorDiv(now, 86400), true
	return now, c.naiveDay
}

// groupValue returns the text of the named group and whether the group
// exists at all and took part in the match.
func groupValue(line string, loc []int, names []string, key string) (val string, exists, set bool) {
	for i, n := range names {
		if n == key {
			if loc[2*i+2] < 0 {
				return "", true, false
			}
			return line[loc[2*i+2]:loc[2*i+3]], true, true
		}
	}
	return "", false, false
}

// fieldKey is the one-letter strptime group name a value is read from, 0
// for groups the conversion ignores.
func fieldKey(name string) byte {
	if len(name) == 1 && strings.IndexByte("yYmbBdHMSIaAwjUWzZ", name[0]) >= 0 {
		return name[0]
	}
	return 0
}

func (f *fields) set(key byte, val, line string, loc []int, names []string) bool {
	var ok bool
	switch key {
	case 'y', 'Y':
		f.year, ok = pyInt(val)
		if key == 'y' && f.year <= 2000 {
			f.year += 2000
		}
		f.hasYear = true
	case 'm':
		f.month, ok = pyInt(val)
		f.hasMonth = true
	case 'b', 'B':
		list := monthAbbr
		if key == 'B' {
			list = monthFull
		}
		f.month, ok = index(list, val)
		f.month++
		f.hasMonth = true
	case 'd':
		f.day, ok = pyInt(val)
		f.hasDay = true
	case 'H':
		f.hour, ok = pyInt(val)
	case 'M':
		f.minute, ok = pyInt(val)
	case 'S':
		f.second, ok = pyInt(val)
	case 'I':
		f.hour, ok = pyInt(val)
		ampm, exists, set := groupValue(line, loc, names, "p")
		if exists && !set {
			return false // fail2ban: None.lower() raises
		}
		ok = ok && f.applyAMPM(strings.ToLower(ampm))
	case 'a', 'A':
		list := dayAbbr
		if key == 'A' {
			list = dayFull
		}
		f.weekday, ok = index(list, val)
		f.hasWeekday = true
	case 'w':
		f.weekday, ok = pyInt(val)
		if f.weekday--; f.weekday < 0 {
			f.weekday = 6
		}
		f.hasWeekday = true
	case 'j':
		f.julian, ok = pyInt(val)
		f.hasJulian = true
	case 'U', 'W':
		f.week, ok = pyInt(val)
		f.weekStart = 0
		if key == 'U' {
			f.weekStart = 6
		}
		f.hasWeek = true
	case 'z', 'Z':
		f.hasTZ = true
		if val == "Z" || val == "UTC" || val == "GMT" {
			f.tzMin, ok = 0, true
			break
		}
		var err error
		f.tzMin, err = zoneMinutes(val)
		ok = err == nil
	default:
		return true
	}
	return ok
}

func (f *fields) applyAMPM(ampm string) bool {
	switch ampm {
	case "", "am":
		if f.hour == 12 {
			f.hour = 0
		}
	case "pm":
		if f.hour != 12 {
			f.hour += 12
		}
	}
	return true
}

func index(list []string, val string) (int, bool) {
	if len(list[0]) == 3 && len(val) == 3 {
		if i, ok, sure := index3(list, val); sure {
			return i, ok
		}
	}
	for i := 0; i < len(val); i++ {
		if val[i] >= 0x80 {
			val = strings.ToLower(val) // fail2ban's str.lower()
			break
		}
	}
	for i, s := range list {
		if asciiEqualFold(s, val) {
			return i, true
		}
	}
	return 0, false
}

// asciiEqualFold compares lower-case ASCII want with s, ignoring ASCII case.
func asciiEqualFold(want, s string) bool {
	if len(want) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}

// daysFromCivil returns days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// minuteBase is the part of a conversion that depends neither on the
// seconds field nor on the current instant within its day: the lines of a
// log share it for a minute, so Detector caches it (convCache).
type minuteBase struct {
	naive       int64 // the date and hh:mm:00 as naive seconds
	prevDays    int64 // days of the same month and day a year earlier
	prevOK      bool  // that date exists (not Feb 29)
	tzMin       int
	hasTZ       bool
	assumeYear  bool // no year in the text: this year, or the last
	assumeToday bool // no month and day: today, or yesterday
	ok          bool // the fields name a valid minute
}

// resolveMinute resolves the fields other than the seconds, given the local date
// of now, with wall-clock arithmetic on "naive" seconds (a date-time read
// as if it were UTC), as fail2ban compares naive datetimes.
func (f *fields) resolveMinute(ny, nm, nd int) minuteBase {
	assumeYear := !f.hasYear
	if assumeYear {
		f.year = ny
	}
	if !f.hasMonth || !f.hasDay {
		f.resolveJulian()
	}
	assumeToday := !f.hasMonth && !f.hasDay
	if assumeToday {
		f.month, f.day, f.hasMonth, f.hasDay = nm, nd, true, true
	}
	if !f.hasMonth || !f.hasDay || !validDate(f.year, f.month, f.day) ||
		f.hour > 23 || f.minute > 59 || f.hour < 0 || f.minute < 0 {
		return minuteBase{}
	}
	b := minuteBase{
		naive: int64(daysFromCivil(f.year, f.month, f.day))*86400 + int64(f.hour*3600+f.minute*60),
		tzMin: f.tzMin, hasTZ: f.hasTZ, assumeYear: assumeYear, assumeToday: assumeToday, ok: true,
	}
	if assumeYear {
		b.prevOK = validDate(f.year-1, f.month, f.day)
		if b.prevOK {
			b.prevDays = int64(daysFromCivil(f.year-1, f.month, f.day))
		}
	}
	return b
}

// seconds finishes the conversion of a match with its %S group: the
// offset of logtimezone or the local zone at that instant and the
// now-relative guesses of the day and year. now is naive local seconds.
func (b *minuteBase) seconds(line string, loc []int, m *matcher, c *clock, now int64) (int64, bool) {
	sec := 0
	if g := m.secGroup; g > 0 && loc[2*g] >= 0 {
		var ok bool
		if sec, ok = pyInt(line[loc[2*g]:loc[2*g+1]]); !ok {
			return 0, false
		}
	}
	return b.secondsAt(sec, c, now)
}

// secondsAt is seconds with the value of the %S group (0 without one).
func (b *minuteBase) secondsAt(sec int, c *clock, now int64) (int64, bool) {
	if !b.ok || sec < 0 || sec > 59 {
		return 0, false
	}
	dt := b.naive + int64(sec)
	tzMin, hasTZ := b.tzMin, b.hasTZ
	if !hasTZ && c.tz != nil {
		// the offset in force at the resolved instant, as time.Date's Zone()
		tzMin, hasTZ = int(c.tzz.offset(c.tzz.fromWall(dt))/60), true
	}
	if hasTZ {
		dt -= int64(tzMin) * 60
	}
	if b.assumeToday && dt > now {
		dt -= 86400
	}
	if b.assumeYear && dt > now+86400 {
		if !b.prevOK {
			return 0, false
		}
		dt = b.prevDays*86400 + (dt - floorDiv(dt, 86400)*86400)
	}
	if hasTZ || c.local == time.UTC {
		return dt, true
	}
	return c.lz.fromWall(dt), true
}

// resolveJulian fills month and day from %j, or from week number and
// weekday as Python's _strptime does.
func (f *fields) resolveJulian() {
	if !f.hasJulian && f.hasWeek && f.hasWeekday {
		first := int(time.Date(f.year, 1, 1, 0, 0, 0, 0, time.UTC).Weekday()+6) % 7
		wd := f.weekday
		if f.weekStart != 0 {
			first = (first + 1) % 7
			wd = (wd + 1) % 7
		}
		week0 := (7 - first) % 7
		if f.week == 0 {
			f.julian = 1 + wd - first
		} else {
			f.julian = 1 + week0 + 7*(f.week-1) + wd
		}
		f.hasJulian = true
	}
	if f.hasJulian {
		t := time.Date(f.year, 1, f.julian, 0, 0, 0, 0, time.UTC)
		f.year, f.month, f.day = t.Year(), int(t.Month()), t.Day()
		f.hasMonth, f.hasDay = true, true
	}
}

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func validDate(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	n := monthDays[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		n = 29
	}
	return d <= n
}

// index3 looks up a three-byte ASCII value in a list of three-letter
// names with one packed comparison per name; sure is false for non-ASCII
// input, which str.lower() may change in other ways.
func index3(list []string, val string) (i int, ok, sure bool) {
	if val[0]|val[1]|val[2] >= 0x80 {
		return 0, false, false
	}
	key := uint32(lowerASCII(val[0]))<<16 | uint32(lowerASCII(val[1]))<<8 | uint32(lowerASCII(val[2]))
	for i, n := range list {
		if uint32(n[0])<<16|uint32(n[1])<<8|uint32(n[2]) == key {
			return i, true, true
		}
	}
	return 0, false, true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
