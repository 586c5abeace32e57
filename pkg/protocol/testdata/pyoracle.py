"""Test oracle for pkg/protocol: CPython's own pickle module.

  loads: read hex pickles (one per line) on stdin, print one JSON object
         per line: {"repr": repr(value)} or {"error": str(exc)}.
  dumps: print {"proto", "hex", "repr"} for a corpus of request-like values
         pickled with every protocol 0-5.
"""
import json
import pickle
import pickletools
import sys

OBJECT_OPS = {"GLOBAL", "STACK_GLOBAL", "REDUCE", "BUILD", "NEWOBJ"}


def fresh(s):
    # A new str object with the same text, so pickle does not memoize it
    # (CPython shares equal literals; a real client's argv strings are
    # distinct objects).
    return ("#" + s)[1:]


def corpus():
    f = fresh
    return [
        [f("ping")],
        [f("ping"), 0.1],
        [f("ping"), 0.00625],
        [f("set"), f("sshd"), f("maxretry"), 5],
        [f("set"), f("sshd"), f("ignoreself"), True],
        [f("set"), f("sshd"), f("bantime.increment"), False],
        [f("set"), f("thread"), {f("stacksize"): 32768}],
        [f("set"), f("webapp"), f("attempt"), f("192.0.2.2"), f("Incorrect token used")],
        [f("echo"), f("ünïcødé € 𝄞"), f("quote ' \" back \\ nl \n cr \r tab \t"), f("$(id) `id`")],
        [f("multi-set"), f("sshd"), f("addfailregex"), [f("^a <HOST>$"), f("^b <HOST>$")]],
        [f("x"), None, -1, -2**31, 2**31, 2**63, -2**63 - 1, 2**200, -2**200, 255, 256, 65535, 65536],
        [f("x"), 1.5, -0.0, 1e300, float("inf"), float("-inf"), 3.0],
        [f("x"), b"bytes\x00\xff", b"", (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)],
        [f("x"), {1, 2, 3}, frozenset([4, 5]), set(), frozenset()],
        [f("x"), {f("k"): [f("v")], 2: None, (1, f("t")): 3.5}],
        [f("x")] + [f("item%d" % i) for i in range(1500)],
        [f("x"), {i: i for i in range(1000)}],
        [f("x"), f("long " * 100)],
        [f("x")] + [f("frame-%d" % i) for i in range(8000)],
        [f("x"), f("big" * 30000), f("after")],
        (f("tuple"), f("request")),
    ]


def replies():
    f = fresh
    return [
        (0, f("pong")),
        (1, FileNotFoundError(2, f("No such file or directory"), f("/x"))),
        (1, KeyError(f("Invalid Action name: nosuch"))),
        (1, KeyError(0)),
        (1, IndexError(f("list index out of range"))),
        (1, RuntimeError()),
        (0, [ValueError(f("a")), KeyError(f("b")), ValueError(f("c"))]),
        (1, SyntaxError(f("invalid decimal literal"), (f("<string>"), 1, 2, f("1x"), 1, 2))),
        (0, [str(i) for i in range(300)] + [KeyError(f("k")), KeyError(f("l"))]),
    ]


def main():
    if sys.argv[1] == "replies":
        for value in replies():
            print(json.dumps({"proto": 5, "hex": pickle.dumps(value, 5).hex(), "repr": repr(value)}))
        return
    if sys.argv[1] == "loads":
        for line in sys.stdin:
            try:
                out = {"repr": repr(pickle.loads(bytes.fromhex(line.strip())))}
            except Exception as exc:  # every failure is a result here
                out = {"error": str(exc)}
            print(json.dumps(out))
        return
    for value in corpus():
        for proto in range(6):
            data = pickle.dumps(value, proto)
            objects = any(op.name in OBJECT_OPS for op, _, _ in pickletools.genops(data))
            print(json.dumps({"proto": proto, "hex": data.hex(), "repr": repr(value), "objects": objects}))


main()
