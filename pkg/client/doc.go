// Package client talks to a running f2b or fail2ban server over its unix
// socket, as fail2ban-client does (fail2ban/client/csocket.py and
// fail2banclient.py): dial, send one command per request, read the
// (0, result) / (1, exception) reply, keep the connection for interactive
// use and end it with the close marker. Beautify renders replies exactly
// like fail2ban/client/beautifier.py (fail2ban 1.0.2), so scripts parsing
// fail2ban-client output keep working.
//
// It imports only pkg/protocol and pkg/pyval so that the f2b-client binary
// stays small and never links the server's jails, store or filters.
package client
