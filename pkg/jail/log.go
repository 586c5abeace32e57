package jail

import (
	"context"
	"log/slog"
	"time"
)

// Log attribute keys used by this package.
const (
	logKeyJail = "jail"
	logKeyIP   = "ip"
	logKeyErr  = "err"
)

// logBanLine logs one of fail2ban's per-ban NOTICE lines ("[jail] Ban
// 192.0.2.1", "Restore Ban", "Unban"). Restoring or flushing a million bans
// logs a million of them, so the message is concatenated instead of
// formatted, and the record goes straight to the handler: slog.Logger.Log
// would also capture the call site, which fail2ban's log format never
// shows.
func (j *Jail) logBanLine(ctx context.Context, what string, t Ticket) {
	h := j.log.Handler()
	if !h.Enabled(ctx, levelNotice) {
		return
	}
	msg := "[" + j.opts.Name + "] " + what + " " + t.String()
	_ = h.Handle(ctx, slog.NewRecord(time.Now(), levelNotice, msg, 0))
}
