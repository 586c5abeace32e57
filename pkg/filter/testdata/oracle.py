#!/usr/bin/python3
"""Test oracle for samples_test.go (not part of the product).

Walks fail2ban's sample logs the way fail2ban's own samples test does and
prints one JSON object per (test line, option combination): the filter
definition as fail2ban's config reader produces it (tags unexpanded), the
date split fail2ban's date detector makes for the line, and the line's
failJSON expectation. Constraints and test.condition are evaluated here.

Usage: oracle.py CONFIG_DIR LOGS_DIR NAME...
       oracle.py --def CONFIG_DIR NAME   (print one filter definition)
"""
import json
import os
import re
import sys
import time

from fail2ban.client.filterreader import FilterReader
from fail2ban.server.filter import Filter
from fail2ban.tests.utils import setUpMyTime, TEST_NOW

ANNOT = re.compile(r"^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$")


def load(name, basedir, opts):
    reader = FilterReader(name, "jail", dict(opts), basedir=basedir)
    reader.read()
    reader.getOptions({})
    d = {"prefregex": "", "failregex": [], "ignoreregex": [], "maxlines": 1, "datepattern": ""}
    flt = Filter(None)
    for opt in reader.convert():
        vals = opt[3] if opt[0] == "multi-set" else [opt[3]]
        for v in vals:
            key = opt[2]
            if key == "prefregex":
                d["prefregex"] = v
            elif key == "addfailregex":
                d["failregex"].append(v)
            elif key == "addignoreregex":
                d["ignoreregex"].append(v)
            elif key == "maxlines":
                d["maxlines"] = int(v)
            elif key == "datepattern":
                d["datepattern"] = v
                flt.setDatePattern(v)
    return d, flt


def walk(name, basedir, logs):
    filters = {}
    files = [name]
    common = {}
    active = []
    i = 0
    while i < len(files):
        fname = files[i]
        i += 1
        with open(os.path.join(logs, fname), encoding="utf-8", errors="surrogateescape") as fh:
            lines = fh.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        ignore_block = False
        k = 0
        while k < len(lines):
            line = lines[k]
            k += 1
            faildata = {}
            m = ANNOT.match(line)
            if m:
                data = json.loads(m.group(2))
                kind = m.group(1)
                if kind == "fileOptions":
                    common = data
                    continue
                if kind == "filterOptions":
                    active = []
                    ignore_block = False
                    for opts in data if isinstance(data, list) else [data]:
                        if common:
                            o = dict(common)
                            o.update(opts)
                            opts = o
                        if opts.get("test.condition"):
                            ignore_block = not eval(opts["test.condition"])
                        if not ignore_block:
                            fopts = {a: b for a, b in opts.items() if not a.startswith("test.")}
                            fname2 = opts.get("test.filter-name") or (str(fopts) if fopts else "")
                            active.append((name + fname2, fopts, opts))
                    continue
                if kind == "addFILE":
                    files.append(data)
                    continue
                faildata = data
                if k >= len(lines):
                    break
                line = lines[k]
                k += 1
            elif ignore_block or line.startswith("#") or not line.strip():
                continue
            if ignore_block:
                continue
            if not active:
                active = [(name, {}, {})]
            line = line.rstrip("\r\n")
            for flt_name, fopts, opts in active:
                if faildata.get("constraint") and not eval(faildata["constraint"], {"name": name, "opts": opts}):
                    continue
                first = flt_name not in filters
                if first:
                    filters[flt_name] = load(name, basedir, fopts)
                d, flt = filters[flt_name]
                ev = {"test": name, "file": fname, "lnnum": k, "filter": flt_name, "faildata": faildata}
                if first:
                    ev["def"] = d
                journal = opts.get("logtype") == "journal"
                ln = line
                if journal:
                    ln = opts.get("test.prefix-line", "") + line
                    ev["journal"] = True
                else:
                    ev["date"] = date_of(flt, line)
                ev["line"] = ln
                print(json.dumps(ev))


def date_of(flt, line):
    tm = flt.dateDetector.matchTime(line)
    m = tm[0]
    if not m:
        return None
    s, e = m.start(1), m.end(1)
    t = None
    if s < e:
        r = flt.dateDetector.getTime(line[s:e], tm)
        if r is not None:
            t = r[0]
    return {"s": len(line[:s].encode("utf-8", "surrogateescape")),
            "e": len(line[:e].encode("utf-8", "surrogateescape")), "time": t}


def main():
    # fail2ban's test environment: Central European time, fixed "now"
    os.environ["TZ"] = "CET-01CEST-02,M3.5.0,M10.5.0"
    time.tzset()
    setUpMyTime()
    if sys.argv[1] == "--def":
        print(json.dumps(load(sys.argv[3], sys.argv[2], {})[0]))
        return
    basedir, logs = sys.argv[1], sys.argv[2]
    for name in sys.argv[3:]:
        walk(name, basedir, logs)
    print(json.dumps({"now": TEST_NOW}))


if __name__ == "__main__":
    main()
