#!/usr/bin/env python3
"""Redemptions per second through the server (bench/vouchers/README.md).

Issues N vouchers in one batch, then C client threads (one kept-alive connection each)
redeem each exactly once; afterwards
checks that the database holds N redemptions of N distinct vouchers, that every code answers 200
(the same key) or 409 (another key) and that `ledger verify` passes.
Run from the repository root: python3 bench/vouchers/run.py [N] [CONNECTIONS] [nginx]
(XJ_API_ENGINE=postgresql XJ_TEST_POSTGRES_URL_FILE=… for PostgreSQL, as the API tests.)
With `nginx` (PostgreSQL only): two server processes on the same database behind nginx (Debian
package `nginx`, not installed by tools/install-deps.sh: only this benchmark needs it), the
clients talking to nginx. Prints the servers' CPU time (user + system) beside the wall time.
"""
import http.client
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "api"))
from harness import Client, Server  # noqa: E402
from care_test import resident_id  # noqa: E402

V1 = "/api/v1"


NGINX_CONF = """daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  upstream xj {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://xj; proxy_http_version 1.1;
                 proxy_set_header Connection ""; proxy_set_header Host $host; }}
  }}
}}
"""


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_seconds(pid):
    """User + system CPU time of a process so far (from /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu():
    """User + system CPU of the PostgreSQL cluster the tests use (its postmaster, its live
    processes and those it has reaped), or None when its folder is unknown (pg.sh writes it
    beside the URL file)."""
    url_file = os.environ.get("XJ_TEST_POSTGRES_URL_FILE", "")
    try:
        with open(os.path.join(os.path.dirname(url_file), "cluster"), encoding="utf-8") as f:
            folder = f.read().strip()
        with open(os.path.join(folder, "data", "postmaster.pid"), encoding="ascii") as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        if pid == postmaster:
            total += sum(int(x) for x in fields[11:15]) / tick  # own and reaped children's
        elif ppid == postmaster:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start_nginx(folder, ports):
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    port = free_port()
    conf = os.path.join(folder, "nginx.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(NGINX_CONF.format(d=folder, a=ports[0], b=ports[1], port=port))
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", folder + "/", "-e",
                             os.path.join(folder, "error.log")])
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", V1 + "/health")
            c.getresponse().read()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("nginx did not start")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    via_nginx = len(sys.argv) > 3 and sys.argv[3] == "nginx"
    server = Server(demo=False)
    second = nginx = None
    try:
        token = server.cli("token", "create", "admin", "--name", "bench").stdout.strip()
        admin = Client(server.port)
        admin.bearer = token
        root = admin.get(V1 + "/organisations").json()["items"][0]["id"]
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
        p = admin.post(V1 + "/programmes", {
            "title": "基准", "owner_organisation_id": root, "start_date": "2020-01-01",
            "end_date": "2099-12-31", "budget_fen": 10**12, "categories": ["hardship_worker"],
            "kinds": ["voucher"]}).json()
        admin.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]})
        m = admin.post(V1 + "/vouchers/merchants", {"organisation_id": root, "name": "基准超市"}).json()
        a = admin.post(V1 + "/accounts", {"username": "till", "display_name": "收银台",
                                          "role": "merchant", "organisation_id": root,
                                          "password": "Bench-till-2026"}).json()
        admin.post(f"{V1}/vouchers/merchants/{m['id']}/accounts", {"account_id": a["id"]})
        till = server.cli("token", "create", "till", "--name", "bench").stdout.strip()
        b = admin.post(V1 + "/vouchers/batches", {
            "programme_id": p["id"], "organisation_id": root, "title": "基准券",
            "face_value_fen": 100, "count": n, "valid_from": today, "valid_to": "2099-12-31",
            "merchant_ids": [m["id"]]}).json()
        codes = []
        while len(codes) < n:
            birth = f"{1960 + len(codes) // 1000}0101"  # 1,000 serial numbers a birthday
            people = [{"name": "受助人", "id_number": resident_id(birth), "category": "hardship_worker"}
                      for _ in range(min(1000, n - len(codes)))]
            r = admin.post(f"{V1}/vouchers/batches/{b['id']}/issue", {"beneficiaries": people})
            assert r.status == 201, r
            codes += [v["code"] for v in r.json()["items"]]
        # Each of C client threads redeems its share over one kept-alive connection.
        target = server.port
        processes = [server.proc.pid]
        if via_nginx:
            second = server.another_process()
            processes.append(second.proc.pid)
            nginx, target = start_nginx(os.path.join(server.dir, "nginx"),
                                        [server.port, second.port])
        cpu_before = sum(cpu_seconds(pid) for pid in processes)
        db_cpu_before = postgres_cpu()
        load_before = os.getloadavg()[0]
        latencies = []
        statuses = []

        def worker(share):
            conn = http.client.HTTPConnection("127.0.0.1", target, timeout=60)
            for code in share:
                t0 = time.monotonic()
                conn.request("POST", f"{V1}/vouchers/{code}/redeem", headers={
                    "Authorization": "Bearer " + till, "Idempotency-Key": "bench-" + code})
                r = conn.getresponse()
                r.read()
                latencies.append(time.monotonic() - t0)
                statuses.append(r.status)
            conn.close()

        threads = [threading.Thread(target=worker, args=(codes[i::connections],))
                   for i in range(connections)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        cpu = sum(cpu_seconds(pid) for pid in processes) - cpu_before
        db_cpu = postgres_cpu()
        db_cpu = None if db_cpu is None or db_cpu_before is None else db_cpu - db_cpu_before
        latencies.sort()
        print(f"statuses: {sorted(set(statuses))}, p50 {latencies[len(latencies) // 2] * 1000:.1f} ms,"
              f" p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")
        after = admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        redeemed = after["redeemed"]
        engine = os.environ.get("XJ_API_ENGINE", "sqlite")
        print(f"engine {engine}: {n} vouchers, {connections} connections, {redeemed} redeemed "
              f"in {wall:.1f} s wall: {redeemed / wall:.0f} redemptions/s; "
              f"{len(processes)} server process(es){' behind nginx' if via_nginx else ''} used "
              f"{cpu:.1f} s CPU ({cpu / max(redeemed, 1) * 1000:.2f} ms a redemption); "
              + (f"PostgreSQL used {db_cpu:.1f} s CPU ({db_cpu / max(redeemed, 1) * 1000:.2f} ms a "
                 f"redemption); " if db_cpu is not None else "")
              + f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
        # Nothing twice: every code again, with a fresh key, is 409.
        c = Client(target)
        c.bearer = till
        again = [c.post(f"{V1}/vouchers/{code}/redeem",
                        headers={"Idempotency-Key": "again-" + code}).status
                 for code in codes[:200]]
        verdict = server.cli("ledger", "verify")
        print("second redemptions of 200 codes:", sorted(set(again)), "| ledger verify:",
              verdict.stdout.strip() or verdict.stderr.strip())
        ok = redeemed == n and set(again) == {409} and verdict.returncode == 0
        print("OK" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        if nginx:
            nginx.send_signal(signal.SIGTERM)
            nginx.wait(timeout=10)
        if second:
            second.proc.terminate()
            second.proc.wait(timeout=10)
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
