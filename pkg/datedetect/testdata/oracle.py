# Test oracle: runs fail2ban's own DateDetector over lines and prints what
# it finds, one JSON array per line. Used only by datedetect's differential
# test; input is a JSON object on stdin:
#   {"pattern": "...", "tz": "..." or null, "now": <epoch>, "lines": [...]}
# or {"now": <epoch>, "requests": [<such objects>, ...]} for a batch (each
# request gets a fresh detector whose shared template hit counters are
# reset, as in a fresh process).
import json
import sys

sys.path.insert(0, "/usr/lib/python3/dist-packages")

from fail2ban.server.mytime import MyTime  # noqa: E402

req = json.load(sys.stdin)
MyTime.setTime(req["now"])

from fail2ban.server.datedetector import DateDetector  # noqa: E402
from fail2ban.server.filter import Filter  # noqa: E402


def run(req):
    flt = Filter(None)
    if req.get("tz"):
        flt.setLogTimeZone(req["tz"])
    try:
        if req["pattern"]:
            flt.setDatePattern(req["pattern"])
        else:
            flt.dateDetector = DateDetector()
            flt.dateDetector.default_tz = flt.getLogTimeZone()
    except Exception as e:  # bad pattern
        return {"error": "%s: %s" % (type(e).__name__, e)}
    dd = flt.dateDetector
    if req.get("reset"):
        if not dd.templates:
            dd.addDefaultTemplate()
        for t in dd.templates:
            t.template.hits = 0
    out = []
    for line in req["lines"]:
        try:
            m, tmpl = dd.matchTime(line)
        except Exception as e:
            out.append([False, 0, 0, "", None, "", "matchTime %s" % type(e).__name__])
            continue
        if m is None:
            out.append([False, 0, 0, "", None, "", ""])
            continue
        start, end = m.span(1) if m.group(1) is not None else (m.start(), m.start())
        t, err = None, ""
        if m.group(1):
            try:
                r = dd.getTime(line, (m, tmpl))
                t = None if r is None else repr(float(r[0]))
            except Exception as e:
                err = type(e).__name__
        out.append([True, start, end, line[start:end], t, tmpl.name, err])
    return {"results": out, "templates": [t.name for t in dd.templates]}


if "requests" in req:
    print(json.dumps([run(dict(r, reset=True)) for r in req["requests"]]))
else:
    print(json.dumps(run(req)))
