#!/usr/bin/env python3
"""The write storm of make bench-storm (scripts/bench-storm.sh starts httpd).

Three phases against BASE (default http://127.0.0.1:8099):
  1. N concurrent registrations (register-sms + register, each from its own
     client address through X-Forwarded-For),
  2. N concurrent logins of those accounts,
  3. CONNECTIONS clients writing for SECONDS (login, then refresh in a loop)
     while one reader measures GET /api/me.
Prints per phase how many requests were answered, by status, the latency
percentiles, and whether every 503 carried Retry-After. Measures only.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

BASE = urllib.parse.urlsplit(os.environ.get("BASE", "http://127.0.0.1:8099"))
N = int(os.environ.get("STORM_ACCOUNTS", "200"))
CONNECTIONS = int(os.environ.get("STORM_CONNECTIONS", "64"))
SECONDS = float(os.environ.get("STORM_SECONDS", "60"))
TIMEOUT = 60.0
PASSWORD = "storm12345"


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.status = {}
        self.times = []
        self.no_retry_after = 0
        self.errors = 0
        self.kinds = {}

    def add(self, status, seconds, retry_after=True):
        with self.lock:
            self.status[status] = self.status.get(status, 0) + 1
            self.times.append(seconds)
            if status == 503 and not retry_after:
                self.no_retry_after += 1

    def error(self, kind):
        with self.lock:
            self.errors += 1
            self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def line(self, name):
        t = sorted(self.times)

        def pct(p):
            return t[min(len(t) - 1, int(p * len(t)))] * 1000 if t else 0.0

        statuses = " ".join(f"{k}:{v}" for k, v in sorted(self.status.items()))
        return (f"{name:<14} answered {len(t):>6}  unanswered {self.errors:>4}  "
                f"[{statuses}]  p50 {pct(0.5):7.1f} ms  p99 {pct(0.99):7.1f} ms  "
                f"max {pct(1.0):7.1f} ms  503 without Retry-After {self.no_retry_after}"
                + ("".join(f"  {k}:{v}" for k, v in sorted(self.kinds.items()))))


def connect():
    return http.client.HTTPConnection(BASE.hostname, BASE.port or 80, timeout=TIMEOUT)


def request(conn, tally, method, path, body=None, headers=None):
    """One request; returns (status, decoded JSON or None, conn)."""
    h = {"Content-Type": "application/json"} if body is not None else {}
    h.update(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    start = time.monotonic()
    for attempt in (1, 2):
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            raw = resp.read()
            break
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = connect()
            # a kept-alive connection the server closed meanwhile: as any
            # client does, send the request again on a new one
            if attempt == 1 and isinstance(e, (http.client.RemoteDisconnected,
                                               BrokenPipeError, ConnectionResetError)):
                continue
            tally.error(type(e).__name__)
            return None, None, conn
    tally.add(resp.status, time.monotonic() - start,
              resp.getheader("Retry-After") is not None)
    try:
        doc = json.loads(raw)
    except ValueError:
        doc = None
    if resp.getheader("Connection", "").lower() == "close":
        conn.close()
        conn = connect()
    return resp.status, doc, conn


def client_ip(i):
    return f"10.{200 + i // 65000}.{(i // 250) % 250}.{i % 250 + 1}"


def together(n, work):
    """Runs work(i) in n threads released at the same moment."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def phase_register(tally, tag):
    def work(i):
        conn = connect()
        mobile = f"139{tag:04d}{i:04d}"
        xff = {"X-Forwarded-For": client_ip(i)}
        status, doc, conn = request(conn, tally, "GET", f"/api/register-sms?mobile={mobile}",
                                    headers=xff)
        if status != 200 or not doc:
            return
        code = doc.get("data", {}).get("verification_code")
        request(conn, tally, "POST", "/api/register",
                {"username": f"storm{tag}u{i}", "mobile": mobile,
                 "password": PASSWORD, "verification_code": code}, xff)
    together(N, work)


def login(conn, tally, tag, i):
    status, doc, conn = request(conn, tally, "POST", "/api/login",
                                {"username": f"storm{tag}u{i}", "password": PASSWORD},
                                {"X-Forwarded-For": client_ip(i)})
    token = None
    if status == 200 and doc:
        token = doc["data"]["token_info"]["access_token"]
    return token, conn


def phase_login(tally, tag, tokens):
    def work(i):
        tokens[i], _ = login(connect(), tally, tag, i)
    together(N, work)


def phase_storm(writes, reads, tag, tokens):
    stop = time.monotonic() + SECONDS
    reader_token = next((t for t in tokens if t), None)

    registered = [k for k, t in enumerate(tokens) if t] or [0]

    def writer(i):
        conn = connect()
        k = registered[i % len(registered)]
        while time.monotonic() < stop:
            token, conn = login(conn, writes, tag, k)
            for _ in range(4):
                if not token or time.monotonic() >= stop:
                    break
                status, doc, conn = request(conn, writes, "PUT", "/api/refresh", None,
                                            {"Authorization": f"Bearer {token}",
                                             "X-Forwarded-For": client_ip(k)})
                token = doc["data"]["token_info"]["access_token"] if status == 200 and doc else None

    def reader():
        conn = connect()
        while time.monotonic() < stop:
            _, _, conn = request(conn, reads, "GET", "/api/me", None,
                                 {"Authorization": f"Bearer {reader_token}"})
            time.sleep(0.01)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(CONNECTIONS)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    tag = int(time.time()) % 10000
    register, logins, writes, reads = Tally(), Tally(), Tally(), Tally()
    tokens = [None] * N
    t0 = time.monotonic()
    phase_register(register, tag)
    print(register.line(f"register x{N}"), f"({time.monotonic() - t0:.1f} s)")
    t0 = time.monotonic()
    phase_login(logins, tag, tokens)
    print(logins.line(f"login x{N}"), f"({time.monotonic() - t0:.1f} s)")
    phase_storm(writes, reads, tag, tokens)
    print(writes.line(f"storm writes"), f"({CONNECTIONS} clients, {SECONDS:.0f} s)")
    print(reads.line("reads /api/me"))
    slow = sum(1 for t in reads.times if t > 1.0)
    print(f"reads over 1 s: {slow}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
