// Package server is f2b-server's core: the jail registry, the command
// dispatcher that mirrors fail2ban's transmitter (fail2ban/server/
// transmitter.py and server.py), the unix socket that speaks fail2ban's
// pickle protocol, and the wiring of each jail's backend, filter, ban logic,
// actions and database.
//
// It is the only package that imports jail, filter, backend, action and
// store together: they never import each other, so each can be tested on
// its own. Strings from the configuration stream and from socket requests
// become typed values here, once, in the set/get handlers.
//
// One Dispatch serves both the socket and the configuration stream that
// f2b-server applies at start, so a configuration read by f2b-server and
// one pushed by the real `fail2ban-client start` behave identically.
//
// On the socket, `set <jail> attempt` is answered before its bookkeeping,
// behind a gate that every other command waits for (see serveAttempt):
// the one request a web application sends per failure costs it one
// kernel round trip and little more.
package server
