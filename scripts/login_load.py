#!/usr/bin/env python3
"""Page latency while people sign in: runs LOGINS_PER_S sign-ins per second
(argon2id, the crate's defaults = OWASP's m=19 MiB, t=2, p=1) against a
server started with --demo, and meanwhile GETs a signed-in page at a steady
rate on one keep-alive connection, recording each latency. Prints p50/p99 of
the page with and without the sign-in load, and the sign-in rate achieved.

Usage: login_load.py URL PASSWORD [SECONDS] [LOGINS_PER_S]
"""
import http.client, json, sys, threading, time, urllib.parse

url, password = sys.argv[1], sys.argv[2]
secs = float(sys.argv[3]) if len(sys.argv) > 3 else 15
rate = float(sys.argv[4]) if len(sys.argv) > 4 else 20
host = urllib.parse.urlparse(url).netloc
users = ["mudur", "sef.kalem", "sef.bt", "sef.teknik", "sef.cbs", "sef.elektronik",
         "memur.kalem", "memur.bt", "memur.teknik", "isci.teknik", "baskan", "baskan.yardimcisi"]

def login(user):
    c = http.client.HTTPConnection(host, timeout=30)
    c.request("POST", "/api/v1/auth/login", json.dumps({"username": user, "password": password}),
              {"content-type": "application/json"})
    r = c.getresponse(); body = r.read(); c.close()
    return r.status, body

status, body = login("mudur")
assert status == 200, (status, body)
token = json.loads(body)["token"]

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

def page_latencies(duration, per_s=50, path="/yetkilerim"):
    c = http.client.HTTPConnection(host, timeout=30)
    out, t_end, step = [], time.monotonic() + duration, 1 / per_s
    nxt = time.monotonic()
    while time.monotonic() < t_end:
        t0 = time.monotonic()
        c.request("GET", path, headers={"authorization": f"Bearer {token}"})
        r = c.getresponse(); r.read()
        assert r.status == 200, r.status
        out.append((time.monotonic() - t0) * 1000)
        nxt += step
        time.sleep(max(0, nxt - time.monotonic()))
    return out

done = {"ok": 0, "bad": 0}
def login_load(duration):
    t_end, i, threads = time.monotonic() + duration, 0, []
    nxt = time.monotonic()
    def one(u):
        s, _ = login(u)
        done["ok" if s == 200 else "bad"] += 1
    while time.monotonic() < t_end:
        t = threading.Thread(target=one, args=(users[i % len(users)],)); t.start(); threads.append(t)
        i += 1; nxt += 1 / rate
        time.sleep(max(0, nxt - time.monotonic()))
    for t in threads: t.join()

base = page_latencies(secs)
print(f"GET /yetkilerim alone: n={len(base)} p50 {pct(base,50):.1f} ms, p99 {pct(base,99):.1f} ms")
lt = threading.Thread(target=login_load, args=(secs,)); t0 = time.monotonic(); lt.start()
loaded = page_latencies(secs)
lt.join(); elapsed = time.monotonic() - t0
print(f"GET /yetkilerim during {rate:g} logins/s: n={len(loaded)} p50 {pct(loaded,50):.1f} ms, p99 {pct(loaded,99):.1f} ms "
      f"(logins: {done['ok']} ok, {done['bad']} failed, {done['ok']/elapsed:.1f}/s achieved)")
