#!/usr/bin/python3
"""Test oracle: format log records with Python logging and fail2ban's layout.

Reads JSON lines {"name", "levelno", "msg", "created", "datetime", "padding"}
on stdin and prints each record as fail2ban's log handler would (TZ from the
environment, process id 4242). Used only by the Go tests.
"""
import json
import logging
import sys

import fail2ban  # noqa: F401  (registers NOTICE, MSG, TRACE, HEAVY, #NN-Lev.)
from fail2ban.helpers import getVerbosityFormat

for line in sys.stdin:
    r = json.loads(line)
    fmt = logging.Formatter(getVerbosityFormat(0, addtime=r["datetime"], padding=r["padding"]))
    rec = logging.LogRecord(r["name"], r["levelno"], __file__, 0, r["msg"], None, None)
    rec.created = r["created"]
    rec.msecs = int((r["created"] - int(r["created"])) * 1000)
    rec.process = 4242
    print(fmt.format(rec))
