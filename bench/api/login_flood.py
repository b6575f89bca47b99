"""32 clients sending failing logins, each one after another on its own connection, each for a
user name that does not exist from a random client address (X-Forwarded-For; serve with
--trust-proxy), so that neither lockout ends the flood. A client told 429 waits as long as
Retry-After says, as a browser or a well-behaved script does; with --ignore-retry-after it sends
again at once (see login_flood.lua for one that floods as fast as wrk can).
Usage: python3 bench/api/login_flood.py PORT SECONDS [--clients N] [--ignore-retry-after]"""
import argparse
import collections
import http.client
import json
import random
import threading
import time


def client(port, until, honour, counts, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        body = json.dumps({"username": f"flood-{random.getrandbits(32):08x}",
                           "password": "not-the-password"})
        address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        try:
            conn.request("POST", "/api/v1/auth/login", body=body, headers={
                "Content-Type": "application/json", "X-Forwarded-For": address})
            r = conn.getresponse()
            r.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                counts["error"] += 1
            continue
        with lock:
            counts[r.status] += 1
        if r.status == 429 and honour:
            time.sleep(float(r.getheader("Retry-After", "1")))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("seconds", type=float)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--ignore-retry-after", action="store_true")
    a = p.parse_args()
    counts = collections.Counter()
    lock = threading.Lock()
    until = time.monotonic() + a.seconds
    threads = [threading.Thread(target=client, args=(a.port, until, not a.ignore_retry_after,
                                                      counts, lock)) for _ in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("flood answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)))


if __name__ == "__main__":
    main()
