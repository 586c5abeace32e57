#!/usr/bin/python3
"""Test oracle: drive fail2ban's own Fail2BanDb on a database file.

  f2bdb.py dump  DB NOW        print, as JSON, what fail2ban reads from DB
  f2bdb.py write DB SPEC.json  write jails, logs and bans through fail2ban
  f2bdb.py schema DB           print sqlite_master (type, name, sql) as JSON
  f2bdb.py create DB           create or upgrade DB as `set dbfile` does
Used only by the Go tests; fail2ban itself is never needed by f2b.
"""
import json
import sqlite3
import sys

from fail2ban.server.database import Fail2BanDb
from fail2ban.server.mytime import MyTime
from fail2ban.server.ticket import FailTicket


class Actions:
    def __init__(self, bantime):
        self.bantime = bantime

    def getBanTime(self):
        return self.bantime


class Jail:
    def __init__(self, name, bantime=600):
        self.name = name
        self.actions = Actions(bantime)

    def getMaxBanTime(self):
        return self.actions.bantime


class Container:
    def __init__(self, name, pos, md5):
        self.name, self.pos, self.md5 = name, pos, md5

    def getFileName(self):
        return self.name

    def getPos(self):
        return self.pos

    def getHash(self):
        return self.md5


def ticket_dict(t):
    return {"ip": str(t.getID()), "time": t.getTime(), "bantime": t.getBanTime(),
            "bancount": t.getBanCount(), "data": t.getData()}


def md5(raw, jail, path):
    return raw.execute("SELECT firstlinemd5 FROM logs WHERE jail=? AND path=?", (jail, path)).fetchone()[0]


def dump(path, now):
    MyTime.setTime(now)
    db = Fail2BanDb(path)
    raw = sqlite3.connect(path)
    # getJailNames/getLogPaths use fetchmany() and so see one row only;
    # list names with plain SQL and read the rest through the API.
    out = {"jails": [r[0] for r in raw.execute("SELECT name FROM jails ORDER BY name")],
           "enabled": [r[0] for r in raw.execute("SELECT name FROM jails WHERE enabled ORDER BY name")],
           "logs": {}, "current": {}, "current_for": {}, "history": {}, "ban": {}}
    for jail in out["jails"]:
        j = Jail(jail, -1)
        out["logs"][jail] = {p: [db.addLog(j, Container(p, 0, None)), md5(raw, jail, p)]
                             for (p,) in raw.execute("SELECT path FROM logs WHERE jail=? ORDER BY path", (jail,))}
        cur = db.getCurrentBans(jail=j, forbantime=-1, correctBanTime=False)
        out["current"][jail] = [ticket_dict(t) for t in cur]
        out["current_for"][jail] = [str(t.getID()) for t in
                                    db.getCurrentBans(jail=j, forbantime=86400, correctBanTime=False)]
        out["history"][jail] = [[ip, tob, data] for ip, tob, data in db._getBans(jail=j)]
    for (ip,) in raw.execute("SELECT DISTINCT ip FROM bips ORDER BY ip"):
        out["ban"][ip] = [list(r) for r in db.getBan(ip, overalljails=True)]
    print(json.dumps(out, sort_keys=True))


def write(path, spec):
    with open(spec) as f:
        spec = json.load(f)
    MyTime.setTime(spec.get("now", 0))
    db = Fail2BanDb(path)
    if "maxmatches" in spec:
        db.maxMatches = spec["maxmatches"]
    jails = {}
    for name in spec["jails"]:
        jails[name] = Jail(name)
        db.addJail(jails[name])
    for lg in spec.get("logs", []):
        db.updateLog(jails[lg["jail"]], Container(lg["path"], lg["pos"], lg["md5"]))
    for b in spec.get("bans", []):
        t = FailTicket(b["ip"], b["time"], data=b["data"])
        t.setBanTime(b["bantime"])
        t.setBanCount(b["bancount"])
        db.addBan(jails[b["jail"]], t)
    db.close()


def schema(path):
    raw = sqlite3.connect(path)
    rows = raw.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid")
    print(json.dumps([list(r) for r in rows]))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "dump":
        dump(sys.argv[2], float(sys.argv[3]))
    elif cmd == "write":
        write(sys.argv[2], sys.argv[3])
    elif cmd == "schema":
        schema(sys.argv[2])
    elif cmd == "create":
        # open (create or upgrade) the way `set dbfile` does: all jails disabled
        db = Fail2BanDb(sys.argv[2])
        db.delAllJails()
        db.close()
