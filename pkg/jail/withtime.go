package jail

import (
	"fmt"
	"time"
)

// maxTimeString is what fail2ban prints for times past year 9999,
// i.e. the end of a permanent ban.
const maxTimeString = "9999-12-31 23:59:59"

// WithTime formats t as one line of "get <jail> banip --with-time":
// "<id> \t<start> + <bantime seconds> = <end>" with times in loc.
func (t Ticket) WithTime(loc *time.Location) string {
	end := maxTimeString
	bt := int64(-1)
	if !t.Permanent() {
		end = t.End().In(loc).Format(timeLayout)
		bt = int64(t.BanTime / time.Second)
	}
	return fmt.Sprintf("%s \t%s + %d = %s", t, t.Time.In(loc).Format(timeLayout), bt, end)
}
