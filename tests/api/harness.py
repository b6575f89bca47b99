"""Starts the real `xuanjiang` server on a free port with a fresh demo database, and talks to it.

Used by the API tests: no mocks, the same binary and database engine that users run.
Environment: XJ_BIN (the binary); XJ_API_ENGINE=postgresql runs against a fresh database in the
PostgreSQL cluster whose superuser URL is in the file XJ_TEST_POSTGRES_URL_FILE (tests/pg/pg.sh),
instead of a temporary SQLite file.
"""
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

# What AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer print when they find
# something (the asan-ubsan build; make test runs the API tests under it).
SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak)Sanitizer|: runtime error: ")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    """One server process on 127.0.0.1 with its own database; stops itself after an hour."""

    def __init__(self, demo=True, serve_args=(), init_args=(), env=None):
        """`env`: variables added to the environment of this server's processes (init, serve)."""
        self.serve_args = list(serve_args)
        self.env = {**os.environ, **(env or {})}
        self.bin = os.environ.get("XJ_BIN", "build/dev/src/cli/xuanjiang")
        self.dir = tempfile.mkdtemp(prefix="xj-api-")
        creds = os.path.join(self.dir, "creds.json")
        self.secrets = os.path.join(self.dir, "xuanjiang.secrets")
        if not (demo and not init_args and self._copy_demo()):
            self.db = self.fresh_database("xj")
            args = [self.bin, "init", "--db", self.db, "--credentials-out", creds,
                    "--photos", os.path.join(self.dir, "photos"), "--secrets", self.secrets]
            if demo:
                args.append("--demo")
            args.extend(init_args)
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=self.env)
        with open(creds, encoding="utf-8") as f:
            self.passwords = json.load(f)
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        self.proc, self.port = self._start(0)

    def _copy_demo(self):
        """The demo made once for this test run (template.py, CTest fixture api_demo_*), copied
        with its credentials, secrets and photos; False when there is none (a test run by hand)."""
        template = os.environ.get("XJ_API_DEMO_TEMPLATE", "")
        if not template or not os.path.exists(os.path.join(template, "db")):
            return False
        with open(os.path.join(template, "db"), encoding="utf-8") as f:
            source = f.read().strip()
        for name in ("creds.json", "xuanjiang.secrets"):
            shutil.copyfile(os.path.join(template, name), os.path.join(self.dir, name))
        shutil.copytree(os.path.join(template, "photos"), os.path.join(self.dir, "photos"))
        self.db = self.fresh_database("xj", template=source)
        if not self.db.startswith("postgresql:"):
            shutil.copyfile(source, self.db)
            if os.path.exists(source + "-wal"):
                shutil.copyfile(source + "-wal", self.db + "-wal")
        return True

    def fresh_database(self, name, template=None):
        """A new database of the engine under test: an SQLite file (its path; the caller fills
        it) or a PostgreSQL database, empty or a copy of the database named in `template`."""
        if os.environ.get("XJ_API_ENGINE") != "postgresql":
            return os.path.join(self.dir, name + ".db")
        with open(os.environ["XJ_TEST_POSTGRES_URL_FILE"], encoding="utf-8") as f:
            admin = f.read().strip()
        db = name + "_" + os.path.basename(self.dir).replace("xj-api-", "").lower()
        db = "".join(c if c.isalnum() else "_" for c in db)
        copy = f" TEMPLATE {template[template.rfind('/') + 1:]}" if template else ""
        subprocess.run(["psql", "-X", "-q", admin, "-c", f"CREATE DATABASE {db}{copy}"],
                       check=True)
        return admin[:admin.rfind("/") + 1] + db

    def _start(self, port):
        """Starts a server process on `port` (0: any free port); returns it and its port."""
        port_file = os.path.join(self.dir, f"port-{time.monotonic_ns()}")
        proc = subprocess.Popen(
            [self.bin, "serve", "--db", self.db, "--bind", "127.0.0.1", "--port", str(port),
             "--port-file", port_file, "--stop-after", "3600",
             "--photos", os.path.join(self.dir, "photos"), "--secrets", self.secrets,
             *self.serve_args],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + 30
        while not os.path.exists(port_file):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start: " + self.server_log())
            time.sleep(0.02)
        with open(port_file, encoding="utf-8") as f:
            return proc, int(f.read().strip())

    def restart(self):
        """After the process died: a new one on the same port and database."""
        self.proc, self.port = self._start(self.port)

    def another_process(self):
        """A second server process on the same database (server mode behind a balancer)."""
        other = object.__new__(Server)
        other.__dict__.update(self.__dict__)
        other.proc, other.port = self._start(0)
        return other

    def server_log(self):
        self.log.flush()
        with open(os.path.join(self.dir, "server.log"), encoding="utf-8", errors="replace") as f:
            return f.read()[-4000:]

    def cli(self, *args, stdin=None):
        return subprocess.run([self.bin, *args, "--db", self.db], input=stdin,
                              capture_output=True, text=True, env=self.env)

    def stop(self):
        """Stops the server and removes its folder. Raises AssertionError when the process did
        not end cleanly on SIGTERM (exit status 0 within 10 s) or when a sanitizer reported
        anything in its log, including processes of this server killed earlier: under the
        asan-ubsan build, that is how a leak or an error in the server fails the test."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        with open(os.path.join(self.dir, "server.log"), encoding="utf-8", errors="replace") as f:
            log = f.read()
        shutil.rmtree(self.dir, ignore_errors=True)
        report = SANITIZER_REPORT.search(log)
        if self.proc.returncode != 0 or report:
            start = log.rfind("\n", 0, report.start()) + 1 if report else max(0, len(log) - 4000)
            raise AssertionError(f"the server ended with status {self.proc.returncode} on SIGTERM"
                                 f"{' and a sanitizer report' if report else ''}:\n"
                                 + log[start:start + 8000])

    def client(self, lang=None):
        return Client(self.port, lang)

    def login(self, username, lang=None):
        c = self.client(lang)
        r = c.post("/api/v1/auth/login",
                   {"username": username, "password": self.passwords[username]})
        if r.status != 200:
            raise AssertionError(f"login {username}: {r}")
        return c


class Client:
    """A browser-like client: keeps the session cookie and sends the CSRF token on writes."""

    def __init__(self, port, lang=None):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.bearer = None
        self.lang = lang

    def request(self, method, path, body=None, raw=None, headers=None, csrf=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {}
        if self.lang:
            h["Accept-Language"] = self.lang
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.bearer:
            h["Authorization"] = "Bearer " + self.bearer
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        result = Response(resp.status, resp.getheaders(), resp.read())
        conn.close()
        cookie = result.header("Set-Cookie")
        if cookie and cookie.startswith("xj_session="):
            value = cookie.split(";")[0]
            self.cookie = None if value == "xj_session=" else value
        if path == "/api/v1/auth/login" and result.status == 200:
            self.csrf = result.json()["csrf_token"]
        return result

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)


def png_bytes(width=4, height=3, shade=0):
    """A real PNG, written here with zlib so that the test does not trust the server's own."""
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# The demo has two campaigns: the 2022 one (every fixed date the tests use lies in it) and one
# around the day the demo is made.
PAST_CAMPAIGN_TITLE = "学习宣传贯彻党的二十大精神"


# Orders are placed for days to come, and an ended campaign takes none: tests that order use a
# campaign of their own, far enough ahead never to end while they run, whose weekdays are those of
# the 2022 campaign (28 years later: 2022-11-07 and 2050-11-07 are both Mondays).
ORDER_CAMPAIGN_TITLE = "测试点单活动"
ORDER_CAMPAIGN = {"start_date": "2050-10-01", "end_date": "2051-06-30"}


def order_campaign(admin):
    """The tests' campaign for orders, made by `admin` (province-wide) on first use."""
    r = admin.get("/api/v1/campaigns?page_size=200")
    assert r.status == 200, r
    found = [c for c in r.json()["items"] if c["title"] == ORDER_CAMPAIGN_TITLE]
    if found:
        return found[0]
    root = admin.get("/api/v1/auth/me").json()["organisation"]["id"]
    r = admin.post("/api/v1/campaigns", dict(ORDER_CAMPAIGN, title=ORDER_CAMPAIGN_TITLE,
                                             owner_organisation_id=root))
    assert r.status == 201, r
    return r.json()


def past_campaign(client):
    """The demo's 2022 campaign, as `client` sees it in the list."""
    r = client.get("/api/v1/campaigns?page_size=200")
    assert r.status == 200, r
    return next(c for c in r.json()["items"] if c["title"] == PAST_CAMPAIGN_TITLE)
