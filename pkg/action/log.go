package action

// Log attribute keys used by this package.
const (
	logKeyJail   = "jail"
	logKeyAction = "action"
	logKeyCmd    = "cmd"
	logKeyArgs   = "args"
	logKeyStdout = "stdout"
	logKeyStderr = "stderr"
	logKeyErr    = "err"
	logKeyOp     = "op"
)
