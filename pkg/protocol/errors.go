package protocol

import "fmt"

// LoadError reports a message that could not be unpickled. Msg is the text
// CPython would put in the exception for the same input where the input is
// merely malformed, and our own text for refused constructs (globals and
// object construction). The server replies with the bare string
// "ERROR: " + Msg, as fail2ban does.
type LoadError struct {
	Msg    string
	Offset int // byte offset of the opcode that failed
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("unpickling message at offset %d: %s", e.Offset, e.Msg)
}

// ReplyText is the bare-string reply fail2ban sends for this error.
func (e *LoadError) ReplyText() string { return "ERROR: " + e.Msg }

// EncodeError reports a value the encoder cannot pickle.
type EncodeError struct {
	Msg string
}

func (e *EncodeError) Error() string { return "pickling reply: " + e.Msg }
