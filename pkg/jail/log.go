package jail

// Log attribute keys used by this package.
const (
	logKeyJail = "jail"
	logKeyIP   = "ip"
	logKeyErr  = "err"
)
