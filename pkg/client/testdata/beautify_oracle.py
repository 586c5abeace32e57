"""Test oracle for pkg/client: fail2ban 1.0.2's own Beautifier.

Reads hex pickles of (cmd, value, is_error) on stdin, one per line, and
prints one JSON object per line: {"out": what fail2ban-client prints,
"fallback": whether the beautifier hit its error path, "nok": the NOK text
for errors}.
"""
import json
import logging
import pickle
import sys

from fail2ban.client.beautifier import Beautifier


class Catch(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.hit = False

    def emit(self, record):
        if "Beautifier error" in record.getMessage():
            self.hit = True


catch = Catch()
logging.getLogger().addHandler(catch)

for line in sys.stdin:
    cmd, value, is_error = pickle.loads(bytes.fromhex(line.strip()))
    b = Beautifier(cmd)
    catch.hit = False
    if is_error:
        out = {"out": str(b.beautifyError(value)), "nok": "NOK: %r" % (value.args,)}
    else:
        out = {"out": str(b.beautify(value)), "fallback": catch.hit}
    print(json.dumps(out))
