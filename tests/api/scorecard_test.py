"""The lecturer scorecard and ranking (GET /api/v1/lecturers/{id}/scorecard,
GET /api/v1/lecturers/scorecards, issue 15 point 3): every figure recounted here from the raw
records (sessions, branch venues, lecturers of a session, feedback, attendance, orders, order
events), read straight from the database, for the admin and for 包头's league account; verified
QR answers, unverified ones, staff entries and the unions' ratings apart; declines with their
reasons; the ranking's order and formula; refusals.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/scorecard_test.py
"""
import datetime
import os
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"


def raw(sql):
    """Rows of a query on the server's database, as tuples of text (None for NULL)."""
    if os.environ.get("XJ_API_ENGINE") != "postgresql":
        with sqlite3.connect(f"file:{SERVER.db}?mode=ro", uri=True) as db:
            return [tuple(None if v is None else str(v) for v in row)
                    for row in db.execute(sql).fetchall()]
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-P", "null=\\N",
                          SERVER.db, "-c", sql], check=True, capture_output=True,
                         text=True).stdout
    return [tuple(None if v == "\\N" else v for v in line.split("\t"))
            for line in out.splitlines() if line]


def records():
    """Everything the scorecard counts, as plain Python values."""
    paths = {int(i): p for i, p in raw("SELECT id, path FROM organisations")}
    sessions = {}
    for i, date, fmt, region, host, offline, online, campaign in raw(
            "SELECT id, date, format, region_code, host_organisation_id, audience_offline, "
            "online_viewers, campaign_id FROM sessions"):
        sessions[int(i)] = {"date": date, "format": fmt, "region": region,
                            "path": paths[int(host)], "reached": int(offline) + int(online),
                            "campaign": int(campaign) if campaign else None, "lecturers": []}
    for session_id, headcount in raw("SELECT session_id, headcount FROM session_branches"):
        sessions[int(session_id)]["reached"] += int(headcount)
    for session_id, lecturer_id in raw("SELECT session_id, lecturer_id FROM session_lecturers"):
        sessions[int(session_id)]["lecturers"].append(int(lecturer_id))
    signed = {(int(s), b) for s, b in raw("SELECT session_id, browser FROM attendance")}
    feedback = []
    for i, session_id, rating, channel, browser, comment, quote in raw(
            "SELECT id, session_id, rating, channel, browser, comment, quote FROM feedback"):
        kind = "staff" if channel == "staff" else (
            "verified" if browser and (int(session_id), browser) in signed else "unverified")
        feedback.append({"id": int(i), "session": int(session_id), "rating": int(rating),
                         "kind": kind, "comment": comment, "quote": quote == "1"})
    orders = {}
    for i, org, lecturer, rating, date, window_from in raw(
            "SELECT id, organisation_id, lecturer_id, rating, date, window_from FROM orders"):
        orders[int(i)] = {"path": paths[int(org)], "lecturer": int(lecturer) if lecturer else None,
                          "rating": int(rating) if rating else None}
    events = []
    for i, order_id, at, action, reason, lecturer, date in raw(
            "SELECT id, order_id, at, action, reason, lecturer_id, date FROM order_events "
            "ORDER BY order_id, id"):
        if lecturer is None or action not in ("dispatch", "accept", "decline"):
            continue
        events.append({"order": int(order_id), "at": int(at), "action": action,
                       "reason": reason, "lecturer": int(lecturer), "date": date})
    return sessions, feedback, orders, events


def average(pairs):
    return sum(pairs) / len(pairs) if pairs else None


def rounded(ratings):
    """The server's averages are rounded to two decimals, half away from zero: the recount's
    exact ones are compared after the same rounding."""
    def half_up(v):
        return None if v is None else int(v * 100 + 0.5 + 1e-9) / 100
    return {k: {"count": v["count"], "average": half_up(v["average"])} for k, v in ratings.items()}


def recount(lecturer_id, scope_path, data):
    """The scorecard of one lecturer over what `scope_path` ("" for everything) holds."""
    sessions, feedback, orders, events = data
    mine = {i: s for i, s in sessions.items()
            if lecturer_id in s["lecturers"] and s["path"].startswith(scope_path)}
    card = {"sessions": len(mine), "audience": sum(s["reached"] for s in mine.values()),
            "by_year": {}, "by_format": {}, "by_league": {}}
    for s in mine.values():
        for table, key in (("by_year", s["date"][:4]), ("by_format", s["format"]),
                           ("by_league", s["region"][:4] + "00")):
            n, a = card[table].get(key, (0, 0))
            card[table][key] = (n + 1, a + s["reached"])
    ratings = {"verified": [], "unverified": [], "staff": [], "unions": []}
    for f in feedback:
        if f["session"] in mine:
            ratings[f["kind"]].append(f["rating"])
    theirs = {i for i, o in orders.items() if o["path"].startswith(scope_path)}
    for i in theirs:
        if orders[i]["lecturer"] == lecturer_id and orders[i]["rating"] is not None:
            ratings["unions"].append(orders[i]["rating"])
    card["ratings"] = {k: {"count": len(v), "average": average(v)} for k, v in ratings.items()}
    card["quotes"] = sorted((f["id"] for f in feedback
                             if f["session"] in mine and f["quote"] and f["comment"]),
                            reverse=True)[:10]
    dispatched_at, waits = {}, []
    counts = {"dispatch": 0, "accept": 0, "decline": 0}
    declines = []
    for e in events:
        if e["lecturer"] != lecturer_id or e["order"] not in theirs:
            continue
        counts[e["action"]] += 1
        if e["action"] == "dispatch":
            dispatched_at[e["order"]] = e["at"]
        elif e["action"] == "accept" and e["order"] in dispatched_at:
            waits.append(max(e["at"] - dispatched_at.pop(e["order"]), 0))
        elif e["action"] == "decline":
            dispatched_at.pop(e["order"], None)
            declines.append((e["order"], e["reason"], e["date"]))
    waits.sort()
    n = len(waits)
    card["orders"] = {
        "dispatched": counts["dispatch"], "accepted": counts["accept"],
        "declined": counts["decline"],
        "median": None if not n else (waits[n // 2] if n % 2 else
                                      (waits[n // 2 - 1] + waits[n // 2]) // 2),
        "mean": sum(waits) // n if n else None,
        "declines": sorted(declines)}
    v = ratings["verified"]
    score = card["sessions"] + card["audience"] / 1000
    if len(v) >= 3:
        score += sum(v) / len(v) * 10
    if counts["dispatch"]:
        score += min(counts["accept"], counts["dispatch"]) / counts["dispatch"] * 10
    card["score"] = int(score * 10 + 0.5 + 1e-9) / 10  # half up, as the server rounds
    return card


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = {o["name"]: o for o in admin.get(V1 + "/organisations?page_size=200").json()["items"]}
    me = SERVER.login("lecturer").get(V1 + "/auth/me").json()
    baotou_lecturers = SERVER.login("baotou").get(V1 + "/lecturers?page_size=200").json()["items"]
    IDS = {"rare_earth": orgs["包头稀土新材料公司工会"]["id"],
           "wuhai_union": orgs["乌海市焦化集团工会"]["id"],
           "baotou_path": orgs["包头市总工会"]["path"],
           "lecturer": me["lecturer_id"],
           "baotou_lecturer": baotou_lecturers[0]["id"]}
    today = datetime.date.today().isoformat()

    def session(host, region, lecturers, fmt="offline"):
        r = admin.post(V1 + "/sessions", {
            "title": "劳模工匠进企业", "date": today, "venue": "职工之家",
            "host_organisation_id": IDS[host], "region_code": region,
            "audience_group": "frontline_workers", "format": fmt, "audience_offline": 50,
            "online_viewers": 0, "lecturer_ids": lecturers})
        assert r.status == 201, r
        return r.json()["id"]

    # In 包头 by the demo's lecturer and 包头's own: answers of every kind.
    in_baotou = session("rare_earth", "150203", [IDS["lecturer"], IDS["baotou_lecturer"]])
    link = admin.post(f"{V1}/sessions/{in_baotou}/feedback-link", {}).json()["token"]
    phones = [SERVER.client() for _ in range(4)]

    def answer(phone, rating, comment=""):
        r = phone.post(f"{V1}/feedback/{link}", {"rating": rating, "comment": comment})
        assert r.status == 204, r
        if not phone.cookie:
            phone.cookie = r.header("Set-Cookie").split(";")[0]

    def sign_in(phone):
        r = phone.post(f"{V1}/feedback/{link}/sign-in")
        assert r.status == 204, r
        cookie = r.header("Set-Cookie")
        if cookie and not phone.cookie:
            phone.cookie = cookie.split(";")[0]

    sign_in(phones[0])
    answer(phones[0], 5, "讲到我们心坎上了")  # signed in first: verified
    answer(phones[1], 2)  # never signs in: unverified
    answer(phones[2], 4)
    sign_in(phones[2])  # signs in after answering: verified now
    sign_in(phones[3])  # signs in, never answers
    staff = admin.post(f"{V1}/sessions/{in_baotou}/feedback", {"rating": 3, "comment": "纸质问卷"})
    assert staff.status == 201, staff
    quoted = raw(f"SELECT id FROM feedback WHERE session_id = {in_baotou} AND channel = 'qr' "
                 "AND comment <> ''")[0][0]
    r = admin.patch(f"{V1}/sessions/{in_baotou}/feedback/{quoted}", {"quote": True})
    assert r.status == 200, r
    IDS["quoted"] = int(quoted)
    # In 乌海, by 包头's lecturer: 包头 must never count it.
    IDS["in_wuhai"] = session("wuhai_union", "150302", [IDS["baotou_lecturer"]], "online")


def tearDownModule():
    SERVER.stop()


class Scorecard(unittest.TestCase):
    def assert_card(self, client, lecturer_id, scope_path):
        r = client.get(f"{V1}/lecturers/{lecturer_id}/scorecard")
        self.assertEqual(r.status, 200, r)
        got = r.json()
        want = recount(lecturer_id, scope_path, records())
        self.assertEqual((got["lecturer_id"], got["sessions"], got["audience"]),
                         (lecturer_id, want["sessions"], want["audience"]))
        for table in ("by_year", "by_format", "by_league"):
            self.assertEqual({c["code"]: (c["sessions"], c["audience"]) for c in got[table]
                              if c["sessions"] or c["audience"]},
                             want[table], table)
        self.assertEqual(got["ratings"], rounded(want["ratings"]))
        self.assertEqual([q["feedback_id"] for q in got["quotes"]], want["quotes"])
        o = got["orders"]
        self.assertEqual((o["dispatched"], o["accepted"], o["declined"],
                          o["median_acceptance_seconds"], o["mean_acceptance_seconds"]),
                         tuple(want["orders"][k] for k in
                               ("dispatched", "accepted", "declined", "median", "mean")))
        self.assertEqual(sorted((d["order_id"], d["reason"], d["date"]) for d in o["declines"]),
                         want["orders"]["declines"])
        self.assertEqual(got["score"], want["score"])
        return got

    def test_the_admin_sees_every_figure_recounted(self):
        admin = SERVER.login("admin")
        got = self.assert_card(admin, IDS["lecturer"], "")
        # The answers made above, apart by source (the demo's own answers add to them).
        self.assertGreaterEqual(got["ratings"]["verified"]["count"], 2)
        self.assertGreaterEqual(got["ratings"]["unverified"]["count"], 1)
        self.assertGreaterEqual(got["ratings"]["staff"]["count"], 1)
        self.assertIn(IDS["quoted"], [q["feedback_id"] for q in got["quotes"]])
        quote = next(q for q in got["quotes"] if q["feedback_id"] == IDS["quoted"])
        self.assertEqual((quote["comment"], quote["verified"]), ("讲到我们心坎上了", True))
        self.assertEqual([c["code"] for c in got["by_format"]], ["offline", "online", "hybrid"])
        self.assertIn("得分", got["formula"])
        # The demo's lecturer declined orders with reasons, accepted others.
        self.assertGreater(got["orders"]["declined"], 0)
        self.assertTrue(all(d["reason"] for d in got["orders"]["declines"]))
        self.assertGreater(got["orders"]["accepted"], 0)
        self.assertIsNotNone(got["orders"]["median_acceptance_seconds"])
        self.assert_card(admin, IDS["baotou_lecturer"], "")

    def test_baotou_counts_only_what_happened_in_baotou(self):
        baotou = SERVER.login("baotou")
        admin = SERVER.login("admin")
        mine = self.assert_card(baotou, IDS["baotou_lecturer"], IDS["baotou_path"])
        everywhere = admin.get(f"{V1}/lecturers/{IDS['baotou_lecturer']}/scorecard").json()
        # The session in 乌海 counts for the admin, never for 包头.
        self.assertEqual(everywhere["sessions"] - mine["sessions"],
                         recount(IDS["baotou_lecturer"], "", records())["sessions"]
                         - recount(IDS["baotou_lecturer"], IDS["baotou_path"],
                                   records())["sessions"])
        self.assertGreater(everywhere["sessions"], mine["sessions"])
        self.assertIn("150300", [c["code"] for c in everywhere["by_league"]])
        self.assertNotIn("150300", [c["code"] for c in mine["by_league"]])
        # A lecturer 包头 may not read is not found, as GET /lecturers/{id} is.
        self.assertEqual(baotou.get(f"{V1}/lecturers/{IDS['lecturer']}").status, 404)
        self.assertEqual(baotou.get(f"{V1}/lecturers/{IDS['lecturer']}/scorecard").status, 404)

    def test_a_lecturer_sees_their_own_scorecard_only(self):
        lecturer = SERVER.login("lecturer")
        self.assert_card(lecturer, IDS["lecturer"], "")
        self.assertEqual(
            lecturer.get(f"{V1}/lecturers/{IDS['baotou_lecturer']}/scorecard").status, 404)
        ranking = lecturer.get(f"{V1}/lecturers/scorecards").json()
        self.assertEqual([i["lecturer_id"] for i in ranking["items"]], [IDS["lecturer"]])

    def test_refusals(self):
        admin = SERVER.login("admin")
        self.assertEqual(admin.get(f"{V1}/lecturers/999999/scorecard").status, 404)
        self.assertEqual(SERVER.client().get(f"{V1}/lecturers/{IDS['lecturer']}/scorecard").status,
                         401)
        for query in ("sort=best", "from=2026-13-01", "to=yesterday", "campaign_ids=1,x",
                      "campaign_ids=0", "organisation_id=abc"):
            r = admin.get(f"{V1}/lecturers/scorecards?{query}")
            self.assertEqual(r.status, 400, (query, r))
        r = admin.get(f"{V1}/lecturers/scorecards?from=2026-02-01&to=2026-01-01")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(admin.get(f"{V1}/lecturers/scorecards?campaign_ids=999999").status, 404)


class Ranking(unittest.TestCase):
    def test_every_lecturer_in_scope_ranked_by_the_formula(self):
        data = records()
        for who, scope in (("admin", ""), ("baotou", IDS["baotou_path"])):
            client = SERVER.login(who)
            listed = client.get(f"{V1}/lecturers?page_size=200").json()
            r = client.get(f"{V1}/lecturers/scorecards")
            self.assertEqual(r.status, 200, r)
            ranking = r.json()
            self.assertEqual(ranking["total"], listed["total"])
            self.assertEqual({i["lecturer_id"] for i in ranking["items"]},
                             {l["id"] for l in listed["items"]})
            self.assertEqual([i["rank"] for i in ranking["items"]],
                             list(range(1, ranking["total"] + 1)))
            scores = [i["score"] for i in ranking["items"]]
            self.assertEqual(scores, sorted(scores, reverse=True))
            for item in ranking["items"]:
                want = recount(item["lecturer_id"], scope, data)
                self.assertEqual((item["sessions"], item["audience"], item["score"],
                                  item["ratings"], item["orders"]["declined"]),
                                 (want["sessions"], want["audience"], want["score"],
                                  rounded(want["ratings"]), want["orders"]["declined"]),
                                 (who, item["name"]))
            self.assertEqual(ranking["weights"]["audience_divisor"], 1000)
            self.assertIn("场次 × 1", ranking["formula"])

    def test_sorts_periods_and_the_formula_in_english(self):
        admin = SERVER.login("admin", lang="en")
        by_sessions = admin.get(f"{V1}/lecturers/scorecards?sort=sessions").json()
        counts = [i["sessions"] for i in by_sessions["items"]]
        self.assertEqual(counts, sorted(counts, reverse=True))
        self.assertEqual(by_sessions["sort"], "sessions")
        self.assertTrue(by_sessions["formula"].startswith("score = sessions × 1"))
        rated = admin.get(f"{V1}/lecturers/scorecards?sort=rating").json()["items"]
        averages = [i["ratings"]["verified"]["average"] or -1 for i in rated]
        self.assertEqual(averages, sorted(averages, reverse=True))
        # Only today: the sessions recorded above (and any of the demo's today).
        today = datetime.date.today().isoformat()
        ranking = admin.get(f"{V1}/lecturers/scorecards?from={today}&to={today}").json()
        sessions, _, _, _ = records()
        for item in ranking["items"]:
            self.assertEqual(item["sessions"], sum(
                1 for s in sessions.values()
                if s["date"] == today and item["lecturer_id"] in s["lecturers"]))
        # A league outside 包头's subtree counts nothing for 包头.
        wuhai = raw("SELECT id FROM organisations WHERE name = '乌海市总工会'")[0][0]
        outside = SERVER.login("baotou").get(
            f"{V1}/lecturers/scorecards?organisation_id={wuhai}").json()
        self.assertTrue(all(i["sessions"] == 0 for i in outside["items"]))


if __name__ == "__main__":
    unittest.main()
