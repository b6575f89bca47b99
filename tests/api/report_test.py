"""The printed campaign report (宣讲工作简报, issue 15 point 6): the quotes and photos it shows
(GET /api/v1/statistics/highlights), recounted from each session's own quotes and photos for the
province, a league and a lecturer, never beyond the caller's scope; and `xuanjiang report`,
which prints the report page to PDF with Debian's headless Chromium.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/report_test.py
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, past_campaign  # noqa: E402

V1 = "/api/v1"
CHROMIUM = "/usr/bin/chromium"
WEB_DIST = os.path.join(os.path.dirname(__file__), "..", "..", "web", "dist")


def setUpModule():
    global SERVER
    # The web app too, when built, for `report --url` against this running server.
    web = ("--web", WEB_DIST) if os.path.exists(os.path.join(WEB_DIST, "index.html")) else ()
    SERVER = Server(demo=True, serve_args=web)


def tearDownModule():
    SERVER.stop()


def sessions_of(client, campaign_id):
    """Every session `client` may list in the campaign."""
    out, page = [], 1
    while True:
        r = client.get(f"{V1}/sessions?campaign_id={campaign_id}&page_size=200&page={page}")
        assert r.status == 200, r
        out += r.json()["items"]
        if page * 200 >= r.json()["total"]:
            return out
        page += 1


def expected(client, sessions, limit):
    """The quotes and photos worked out session by session, newest lecture first."""
    ordered = sorted(sessions, key=lambda s: (s["date"], s["id"]), reverse=True)
    quotes, photos = [], []
    for s in ordered:
        if len(quotes) < limit:
            r = client.get(f"{V1}/sessions/{s['id']}/feedback?quote=true&page_size=200")
            assert r.status == 200, r
            for q in sorted(r.json()["items"], key=lambda q: q["id"], reverse=True):
                if q["comment"]:
                    quotes.append((q["id"], s["id"], q["comment"], q["rating"]))
        if len(photos) < limit:
            r = client.get(f"{V1}/sessions/{s['id']}/photos")
            assert r.status == 200, r
            items = r.json() if isinstance(r.json(), list) else r.json()["items"]
            if items:
                photos.append((min(p["id"] for p in items), s["id"]))
    return quotes[:limit], photos[:limit]


class Highlights(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.admin = SERVER.login("admin")
        cls.past = past_campaign(cls.admin)["id"]
        orgs = cls.admin.get(V1 + "/organisations?page_size=200").json()["items"]
        cls.orgs = {o["name"]: o for o in orgs}

    def highlights(self, client, query, status=200):
        r = client.get(f"{V1}/statistics/highlights?{query}")
        self.assertEqual(r.status, status, r)
        return r.json()

    def check_against_sessions(self, client, limit):
        got = self.highlights(client, f"campaign_ids={self.past}&limit={limit}")
        sessions = sessions_of(client, self.past)
        quotes, photos = expected(client, sessions, limit)
        self.assertEqual([(q["id"], q["session_id"], q["comment"], q["rating"])
                          for q in got["quotes"]], quotes)
        self.assertEqual([(p["id"], p["session_id"]) for p in got["photos"]], photos)
        by_id = {s["id"]: s for s in sessions}
        for item in got["quotes"] + got["photos"]:
            s = by_id[item["session_id"]]
            self.assertEqual(item["session_title"], s["title"])
            self.assertEqual(item["session_date"], s["date"])
        return got

    def test_the_province_sees_the_newest_quotes_and_one_photo_per_lecture(self):
        got = self.check_against_sessions(self.admin, 6)
        self.assertEqual(len(got["quotes"]), 6, "the demo marks quotes on many sessions")
        self.assertEqual(len(got["photos"]), 6)
        self.assertEqual(len({p["session_id"] for p in got["photos"]}), 6)
        self.assertEqual(got["campaign_ids"], [self.past])
        # Every photo named can be read.
        for p in got["photos"]:
            r = self.admin.get(f"{V1}/photos/{p['id']}")
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.header("content-type").startswith("image/"))

    def test_a_league_sees_only_its_own_lectures(self):
        baotou = SERVER.login("baotou")
        got = self.check_against_sessions(baotou, 50)
        self.assertTrue(got["quotes"] and got["photos"], "包头 has quotes and photos in the demo")
        everyone = self.highlights(self.admin, f"campaign_ids={self.past}&limit=50")
        mine = {s["id"] for s in sessions_of(baotou, self.past)}
        for item in got["quotes"] + got["photos"]:
            self.assertIn(item["session_id"], mine)
        # What the league lacks of the province's is outside its subtree.
        theirs = {q["session_id"] for q in everyone["quotes"]} - mine
        self.assertTrue(theirs, "the province quotes lectures outside 包头")
        self.assertFalse(theirs & {q["session_id"] for q in got["quotes"]})

    def test_an_organisation_outside_the_scope_yields_nothing(self):
        baotou = SERVER.login("baotou")
        wuhai = self.orgs["乌海市总工会"]["id"]
        got = self.highlights(baotou, f"campaign_ids={self.past}&organisation_id={wuhai}")
        self.assertEqual(got["quotes"], [])
        self.assertEqual(got["photos"], [])
        # The province narrowed to 乌海 sees 乌海's own, and nothing of 包头's.
        narrowed = self.highlights(self.admin, f"campaign_ids={self.past}&organisation_id={wuhai}"
                                   "&limit=50")
        baotou_sessions = {s["id"] for s in sessions_of(baotou, self.past)}
        for item in narrowed["quotes"] + narrowed["photos"]:
            self.assertNotIn(item["session_id"], baotou_sessions)

    def test_a_lecturer_sees_the_quotes_of_their_own_lectures(self):
        self.check_against_sessions(SERVER.login("lecturer"), 50)

    def test_a_period_without_lectures_has_no_highlights(self):
        got = self.highlights(self.admin, "from=2001-01-01&to=2001-12-31")
        self.assertEqual((got["quotes"], got["photos"]), ([], []))
        self.assertEqual((got["from"], got["to"]), ("2001-01-01", "2001-12-31"))

    def test_bad_queries_are_refused_with_their_field(self):
        for query, status, field in [("limit=0", 400, "limit"), ("limit=51", 400, "limit"),
                                     ("limit=x", 400, "limit"), ("campaign_ids=1,,2", 400,
                                                                 "campaign_ids"),
                                     ("from=2022-13-01", 400, "from"),
                                     ("from=2022-02-01&to=2022-01-01", 422, "to"),
                                     ("campaign_ids=999999", 404, None)]:
            r = self.admin.get(f"{V1}/statistics/highlights?{query}")
            self.assertEqual(r.status, status, (query, r))
            if field:
                body = r.json()["error"]
                self.assertEqual(body.get("field"), field, (query, body))

    def test_it_needs_a_login(self):
        r = SERVER.client().get(f"{V1}/statistics/highlights")
        self.assertEqual(r.status, 401, r)


class ReportCommand(unittest.TestCase):
    """`xuanjiang report`: the report page printed to PDF by headless Chromium."""

    def setUp(self):
        if not os.path.exists(CHROMIUM):
            self.skipTest(f"{CHROMIUM} is not installed")
        if not os.path.exists(os.path.join(WEB_DIST, "index.html")):
            self.fail("web/dist is missing: build the web app first (npm run build in web/)")
        self.out = tempfile.mkdtemp(prefix="xj-report-")

    def report(self, *args):
        return subprocess.run([SERVER.bin, "report", "--db", SERVER.db, "--web",
                               WEB_DIST, "--photos", os.path.join(SERVER.dir, "photos"), *args],
                              capture_output=True, text=True, timeout=300)

    def pages(self, path):
        with open(path, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"%PDF-"), data[:20])
        return len(re.findall(rb"/Type\s*/Page[^s]", data))

    def test_a_campaign_report_prints_to_a_pdf_of_several_pages(self):
        past = past_campaign(SERVER.login("admin"))["id"]
        path = os.path.join(self.out, "report.pdf")
        r = self.report("--campaign-id", str(past), "--pdf", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(self.pages(path), 2)
        # The token the browser signed in with is gone again.
        tokens = SERVER.cli("token", "list", "admin")
        self.assertEqual(tokens.returncode, 0, tokens.stderr)
        self.assertNotIn("xuanjiang report", tokens.stdout)

    def test_a_league_prints_its_own_report_for_a_period(self):
        path = os.path.join(self.out, "baotou.pdf")
        r = self.report("--as", "baotou", "--from", "2022-10-01", "--to", "2022-12-31",
                        "--pdf", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(self.pages(path), 1)
        self.assertNotIn("xuanjiang report", SERVER.cli("token", "list", "baotou").stdout)

    def test_a_running_server_prints_with_the_callers_token(self):
        made = SERVER.cli("token", "create", "baotou")
        self.assertEqual(made.returncode, 0, made.stderr)
        token = made.stdout.strip().split()[-1]
        path = os.path.join(self.out, "running.pdf")
        r = subprocess.run([SERVER.bin, "report", "--url", f"http://127.0.0.1:{SERVER.port}",
                            "--token", token, "--from", "2022-11-01", "--to", "2022-11-30",
                            "--pdf", path], capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(self.pages(path), 1)
        # A wrong token: the page is sent to the login, and the command says so.
        r = subprocess.run([SERVER.bin, "report", "--url", f"http://127.0.0.1:{SERVER.port}",
                            "--token", "xj_not-a-token", "--pdf", path + "2"],
                           capture_output=True, text=True, timeout=300)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/login", r.stderr)
        self.assertFalse(os.path.exists(path + "2"))

    def test_refusals_say_why_and_write_nothing(self):
        path = os.path.join(self.out, "none.pdf")
        r = self.report("--campaign-id", "999999", "--pdf", path)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("999999", r.stderr)
        self.assertFalse(os.path.exists(path))
        r = self.report("--pdf", path, "--chromium", "/nonexistent/chromium")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("chromium", r.stderr.lower())
        self.assertFalse(os.path.exists(path))
        r = self.report("--as", "nobody-here", "--pdf", path)
        self.assertNotEqual(r.returncode, 0)
        self.assertFalse(os.path.exists(path))


if __name__ == "__main__":
    unittest.main()
