#!/usr/bin/env python3
"""Mixed load for a soak test: registrations, routings, searches, uploads
and letter drafts from several threads against a server started with
--demo, for MINUTES minutes. Every minute prints the p50/p99 of each kind
and the server's resident memory (from /proc/PID/status); at the end the
RSS at start and end and their ratio. Any 5xx is counted and reported.

Usage: soak.py URL PASSWORD PID [MINUTES] (default 30)
"""
import http.client, json, os, random, statistics, sys, threading, time, urllib.parse

url, password, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
minutes = float(sys.argv[4]) if len(sys.argv) > 4 else 30
host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port

def rss_mb(field="VmRSS"):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0

def rss_text():
    # Anonymous memory is the heap; file-backed is mostly the search
    # index's segments mapped into memory (the kernel takes it back).
    return f"RSS {rss_mb():.0f} MB (heap {rss_mb('RssAnon'):.0f}, mapped files {rss_mb('RssFile'):.0f})"

def call(conn, method, path, token, body=None, ctype="application/json"):
    h = {"authorization": f"Bearer {token}"}
    if body is not None:
        h["content-type"] = ctype
        if ctype == "application/json":
            body = json.dumps(body)
    t = time.perf_counter()
    conn.request(method, path, body, h)
    r = conn.getresponse(); data = r.read()
    return r.status, data, (time.perf_counter() - t) * 1000

def login(user):
    c = http.client.HTTPConnection(host, port, timeout=60)
    c.request("POST", "/api/v1/auth/login", json.dumps({"username": user, "password": password}), {"content-type": "application/json"})
    r = c.getresponse(); body = json.loads(r.read()); c.close()
    return body["token"]

kalem, mudur, bt = login("memur.kalem"), login("mudur"), login("memur.bt")
lock = threading.Lock()
lat = {}
errors = {"5xx": 0, "other": 0}
stop = time.time() + minutes * 60
words = ["kartlı geçiş", "yazıcı arızası", "sunucu bakımı", "e-posta hesabı", "santral hattı", "harita talebi", "lisans yenileme", "yedekleme"]

def record(kind, status, ms):
    with lock:
        lat.setdefault(kind, []).append(ms)
        if status >= 500: errors["5xx"] += 1
        elif status >= 400: errors["other"] += 1

def worker(seed):
    rnd = random.Random(seed)
    c = http.client.HTTPConnection(host, port, timeout=60)
    while time.time() < stop:
        op = rnd.random()
        w = rnd.choice(words)
        try:
            if op < 0.35:
                s, d, ms = call(c, "POST", "/api/v1/incoming", kalem, {"channel": "hand", "delivered_by": "Ayşe Kara", "sender_kind": "person",
                    "sender_name": "Ayşe Kara", "subject": f"{w} {rnd.randrange(10**6)}", "file_code": "044", "legal_basis": "dilekce"})
                record("register", s, ms)
                if s == 201 and rnd.random() < 0.5:
                    doc = json.loads(d)["id"]
                    s, _, ms = call(c, "POST", f"/api/v1/incoming/{doc}/routings", mudur, {"targets": [{"unit": "bt", "purpose": "action"}]})
                    record("route", s, ms)
            elif op < 0.75:
                s, _, ms = call(c, "GET", "/api/v1/search?q=" + urllib.parse.quote(w), bt)
                record("search", s, ms)
            elif op < 0.9:
                s, _, ms = call(c, "POST", "/api/v1/attachments", kalem, b"%PDF-1.4\n" + os.urandom(2048), "application/pdf")
                record("upload", s, ms)
            else:
                s, _, ms = call(c, "POST", "/api/v1/outgoing", bt, {"subject": f"{w} hakkında", "body": "Bilgilerinizi rica ederim.",
                    "file_code": "044", "recipients": [{"role": "muhatap", "kind": "institution", "name": "Örnek Valiliği", "detsis": "23456789"}]})
                record("letter", s, ms)
        except Exception:
            with lock: errors["other"] += 1
            c.close(); c = http.client.HTTPConnection(host, port, timeout=60)

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

start_rss = rss_mb()
print(f"start: {rss_text()}; {minutes:g} min of mixed load, 4 threads")
threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(4)]
for t in threads: t.start()
minute = 0
warm_rss = None
while time.time() < stop:
    time.sleep(min(60, max(0, stop - time.time())))
    minute += 1
    with lock:
        snap = {k: v[:] for k, v in lat.items()}; lat.clear()
    parts = [f"{k} n={len(v)} p50={statistics.median(v):.0f} p99={pct(v, .99):.0f} ms" for k, v in sorted(snap.items())]
    print(f"minute {minute}: {rss_text()}; " + "; ".join(parts), flush=True)
    if minute == 1:
        warm_rss = rss_mb()
for t in threads: t.join()
end_rss = rss_mb()
warm = f"; {(end_rss / warm_rss - 1) * 100:+.0f} % from the end of the first minute (caches warm)" if warm_rss else ""
print(f"end: {rss_text()} ({(end_rss / start_rss - 1) * 100:+.0f} % from start{warm}); 5xx: {errors['5xx']}; 4xx and failures: {errors['other']}")
