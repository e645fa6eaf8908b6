#!/usr/bin/env python3
"""Does a failed sign-in tell whether the username exists? Sends failed
sign-ins for existing demo accounts (wrong password) and for unknown
usernames, interleaved, each from its own loopback source address (so that
the throttle never answers instead), and prints the median and p90 time of
each kind and their difference. Run against a server started with --demo.

Usage: login_timing.py URL [ATTEMPTS_PER_KIND] (default 40)
"""
import http.client, json, statistics, sys, time, urllib.parse, uuid

url = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
known = ["mudur", "sef.kalem", "sef.bt", "sef.teknik", "sef.cbs", "sef.elektronik",
         "memur.kalem", "memur.bt", "memur.teknik", "isci.teknik", "baskan", "baskan.yardimcisi"]

def attempt(i, user):
    src = f"127.0.{10 + i // 200}.{1 + i % 200}"
    c = http.client.HTTPConnection(host, port, timeout=30, source_address=(src, 0))
    body = json.dumps({"username": user, "password": "kesinlikle-yanlis-parola"})
    t = time.perf_counter()
    c.request("POST", "/api/v1/auth/login", body, {"content-type": "application/json"})
    r = c.getresponse(); r.read()
    dt = (time.perf_counter() - t) * 1000
    c.close()
    assert r.status == 401, (r.status, user, src)
    return dt

k, u = [], []
for i in range(n):
    k.append(attempt(2 * i, known[i % len(known)]))
    u.append(attempt(2 * i + 1, "yok-" + uuid.uuid4().hex[:10]))

def p(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(q * len(xs)))]

mk, mu = statistics.median(k), statistics.median(u)
print(f"failed sign-in, existing account: median {mk:.1f} ms, p90 {p(k, .9):.1f} ms ({n} tries)")
print(f"failed sign-in, unknown username: median {mu:.1f} ms, p90 {p(u, .9):.1f} ms ({n} tries)")
print(f"difference of medians: {mu - mk:+.1f} ms ({(mu / mk - 1) * 100:+.1f} %)")
