package jail

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// secondsString is fail2ban's seconds2str used in log messages: at most
// three groups, rounded to days above a year, to hours above a week, to
// minutes above a day and to 10 s above an hour ("1y 3w 4d", "2d 7h 15m",
// "1h", "59m 50s", "0"). Fractions of a second are dropped.
func secondsString(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s >= 31536000:
		return groups(int64(math.RoundToEven(s/86400)), []int64{365, 7, 1}, "ywd", true)
	case s >= 604800:
		return groups(int64(math.RoundToEven(s/3600)), []int64{168, 24, 1}, "wdh", true)
	case s >= 86400:
		return groups(int64(math.RoundToEven(s/60)), []int64{1440, 60, 1}, "dhm", true)
	case s >= 3595:
		return groups(int64(math.RoundToEven(s/10)), []int64{360, 6}, "hm", true)
	case int64(s) == 0:
		return "0"
	}
	return groups(int64(s), []int64{60, 1}, "ms", false)
}

// groups splits v into the given unit sizes; the first group is always
// printed when first is set, later ones only when not zero.
func groups(v int64, sizes []int64, names string, first bool) string {
	var b strings.Builder
	for i, size := range sizes {
		q := v / size
		v %= size
		if q == 0 && !(i == 0 && first) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(q, 10))
		b.WriteByte(names[i])
	}
	return b.String()
}
