// Package protocol speaks fail2ban's control-socket protocol: pickled Python
// objects framed by the "<F2B_END_COMMAND>" marker, as implemented by
// fail2ban/server/asyncserver.py (server side) and fail2ban/client/csocket.py
// (client side).
//
// It is a leaf package (it imports only pkg/pyval) so that both the server's
// command dispatcher and the f2b-client binary can share one codec without
// the client pulling in jails, the database or the filters.
//
// # Framing
//
// A message is the pickle bytes followed by END. The stream is split on END
// and nothing else, exactly as asynchat does: an argument that contains the
// literal marker splits the message (fail2ban answers every fragment with a
// load error, and so do we). A message that is exactly "<F2B_CLOSE_COMMAND>"
// asks the server to close the connection. [Reader] enforces a size cap so a
// peer cannot make us buffer without bound.
//
// # Decoding
//
// The decoder is our own small pickle virtual machine for protocols 0–5,
// working directly on the message bytes and producing pkg/pyval values. We
// do not hand untrusted bytes to github.com/nlpodyssey/gopickle (v0.2.0):
// its FindClass hook can refuse classes, but it allocates a buffer of the
// size a length prefix claims before checking that the bytes exist (a
// 9-byte BINUNICODE8 header asks for exabytes), its opcode table panics on
// byte 0xff, a missing memo entry silently reads as None, it does not
// decode the escapes of protocol-0 STRING and UNICODE (raw-unicode-escape)
// opcodes that PHP and other script clients send, and its error texts are
// not CPython's, which fail2ban puts in its "ERROR: …" replies. A
// pre-scanner that made it safe would need the full stack machine anyway,
// so decoding happens in that one pass and gopickle is not used.
//
// [Decode] (requests) accepts only data opcodes: GLOBAL, STACK_GLOBAL,
// REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT1/2/4, PERSID, BINPERSID and
// the out-of-band buffer opcodes are refused, which the server turns into the
// same bare "ERROR: …" reply fail2ban sends for any unpickling error
// (spec server.md §1.6). Error texts of ordinary malformed input match
// CPython's ("Ran out of input", "pickle data was truncated", "invalid load
// key, 'n'.", "Memo value not found at index 5", …). Python-2 STRING opcodes
// are decoded as ASCII, like Python 3's default unpickler. Size, item-count
// and nesting caps bound memory and time; recursive structures are refused.
//
// A flat list of str — nearly every request, `set <jail> attempt <ip>
// <msg>` above all — is decoded in one pass without the stack machine
// when it has the layout pickle.dumps gives it with protocols 2–5; any
// other layout, and any such message the machine would refuse, goes
// through the machine, and both give the same value (FuzzDecodeStrList).
//
// Strings of messages up to 4 KiB share one copy of the message (one
// allocation per message instead of one per string); a kept string thus
// retains at most 4 KiB. Use strings.Clone for long-lived copies if that
// matters. [Args] turns a decoded request into the argument list the
// dispatcher indexes, with fail2ban's behaviour for non-list requests.
//
// [DecodeReply] (client side) additionally accepts the globals a fail2ban
// server puts in replies: builtins.str (IPAddr objects reduce to it) and
// exception classes, which become *pyval.Exception.
//
// # Encoding
//
// [Encode] writes what CPython 3.8+'s C pickler writes for the same value
// with protocol 5 (or 4): FRAME headers split at 64 KiB, MEMOIZE after every
// str, tuple, list, dict, set and global, BINGET for a repeated global, the
// batching of APPENDS/SETITEMS/ADDITEMS in groups of 1000. [IPAddr] values
// are written as fail2ban's IPAddr pickles itself (builtins.str applied to
// the text), *pyval.Exception as the default exception reduce, so replies
// are byte-identical to the real server's (see testdata and spec/vectors).
// Strings are never deduplicated (CPython memoizes by object identity, and
// distinct str objects with equal text are written twice).
package protocol
