package protocol

// IPAddr is an address (or failure id) in a reply. The encoder writes it
// the way fail2ban's IPAddr pickles itself — builtins.str applied to the
// text, sharing one memoized reference to builtins.str per reply — so the
// Python client unpickles a plain str and our bytes match the real
// server's. Use the text form fail2ban prints (ntoa: "192.0.2.1",
// "2001:db8::1", "10.0.0.0/8"). pyval does not know this type; convert
// to string before printing values with pyval.Repr.
type IPAddr string
