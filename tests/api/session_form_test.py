"""Issue 14, point 3: sessions nobody ordered (one, or a tour day of several venues, hybrid with
branch venues) and corrections of recorded sessions: versioned, audited with what changed,
scoped, and followed by the figures. Run:
XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/session_form_test.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"


def setUpModule():
    global SERVER, ORG, CAMPAIGN, OWN, OTHER
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    ORG = {o["name"]: o for o in orgs}
    CAMPAIGN = admin.get(V1 + "/campaigns?page_size=1").json()["items"][0]
    OWN = SERVER.login("lecturer").get(V1 + "/lecturers").json()["items"][0]["id"]
    lecturers = admin.get(V1 + "/lecturers?page_size=200").json()["items"]
    OTHER = next(l["id"] for l in lecturers
                 if l["id"] != OWN and l["organisation_id"] == ORG["包头市总工会"]["id"])


def tearDownModule():
    SERVER.stop()


def body(host="包头稀土新材料公司工会", lecturers=None, **extra):
    org = ORG[host]
    b = {"title": "工匠精神进班组", "date": CAMPAIGN["start_date"], "start_time": "09:30",
         "end_time": "11:00", "venue": "职工之家", "host_organisation_id": org["id"],
         "region_code": org["region_code"], "industry": org.get("industry") or "C",
         "format": "offline", "audience_group": "frontline_workers", "audience_offline": 40,
         "source": "unordered", "lecturer_ids": lecturers or [OTHER],
         "campaign_id": CAMPAIGN["id"]}
    b.update(extra)
    return b


def branch(host="包头稀土新材料公司工会", headcount=30):
    org = ORG[host]
    return {"host_organisation_id": org["id"], "venue": "分会场", "region_code": org["region_code"],
            "audience_group": "frontline_workers", "headcount": headcount}


def table_total(admin, path):
    return admin.get(f"{V1}{path}{'&' if '?' in path else '?'}page_size=1").json()["total"]


class TourDay(unittest.TestCase):
    """Several venues of one tour day, recorded without an order: all or none."""

    def test_a_tour_day_with_a_hybrid_venue_is_recorded_in_one_go(self):
        organiser = SERVER.login("organiser")
        r = organiser.post(V1 + "/sessions/batch", {"sessions": [
            body(venue="一号车间"),
            body(venue="报告厅", format="hybrid", online_viewers=12,
                 branches=[branch(headcount=25)])]})
        self.assertEqual(r.status, 201, r)
        first, second = r.json()["items"]
        self.assertEqual(first["source"], "unordered")
        self.assertEqual(second["branches"][0]["headcount"], 25)
        self.assertEqual(second["total_audience"], 40 + 12 + 25)
        self.assertEqual([first["version"], second["version"]], [0, 0])

    def test_an_error_on_one_venue_names_its_row_and_records_nothing(self):
        admin = SERVER.login("admin")
        organiser = SERVER.login("organiser")
        sessions, audit = table_total(admin, "/sessions"), table_total(admin, "/audit")
        r = organiser.post(V1 + "/sessions/batch", {"sessions": [
            body(venue="一号车间"), body(venue="", audience_offline=-1),
            body(format="hybrid", branches=[])]})
        self.assertEqual(r.status, 422, r)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertIn("sessions[1].venue", fields)
        self.assertIn("sessions[1].audience_offline", fields)
        self.assertIn("sessions[2].branches", fields)
        self.assertFalse(any(f.startswith("sessions[0]") for f in fields), fields)
        self.assertEqual(table_total(admin, "/sessions"), sessions)
        self.assertEqual(table_total(admin, "/audit"), audit)

    def test_a_lecturer_records_their_own_tour_day_but_not_someone_elses(self):
        lecturer = SERVER.login("lecturer")
        r = lecturer.post(V1 + "/sessions/batch", {"sessions": [
            body(lecturers=[OWN]), body(lecturers=[OWN, OTHER], venue="二号车间")]})
        self.assertEqual(r.status, 201, r)
        r = lecturer.post(V1 + "/sessions/batch", {"sessions": [
            body(lecturers=[OWN]), body(lecturers=[OTHER])]})
        self.assertEqual(r.status, 422, r)
        self.assertIn("sessions[1].lecturer_ids", [e["field"] for e in r.json()["errors"]])
        self.assertEqual(SERVER.login("requester").post(
            V1 + "/sessions/batch", {"sessions": [body()]}).status, 403)


class Corrections(unittest.TestCase):
    """A recorded session corrected afterwards: versioned, audited, scoped; the figures follow."""

    def setUp(self):
        self.admin = SERVER.login("admin")
        self.organiser = SERVER.login("organiser")
        r = self.organiser.post(V1 + "/sessions", body())
        self.assertEqual(r.status, 201, r)
        self.session = r.json()

    def patch(self, client, change, version=None):
        change = dict(change)
        change["version"] = self.session["version"] if version is None else version
        return client.patch(f"{V1}/sessions/{self.session['id']}", change)

    def stored(self):
        return self.admin.get(f"{V1}/sessions/{self.session['id']}").json()

    def test_a_correction_names_the_version_it_read(self):
        r = self.organiser.patch(f"{V1}/sessions/{self.session['id']}", {"audience_offline": 55})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["errors"][0]["field"], "version")
        r = self.patch(self.organiser, {"audience_offline": 55})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["version"], self.session["version"] + 1)
        second = SERVER.login("admin")
        audit = table_total(self.admin, "/audit")
        # A second editor who read the first version: refused, told to reload, nothing written.
        r = self.patch(second, {"audience_offline": 10})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["field"], "version")
        self.assertIn("刷新", r.json()["error"]["message"])
        self.assertEqual(self.stored()["audience_offline"], 55)
        self.assertEqual(table_total(self.admin, "/audit"), audit)

    def test_a_refused_correction_changes_nothing(self):
        audit = table_total(self.admin, "/audit")
        for change, field in (({"audience_offline": -5}, "audience_offline"),
                              ({"venue": ""}, "venue"),
                              ({"lecturer_ids": []}, "lecturer_ids"),
                              ({"source": "ordered"}, "source"),
                              ({"host_organisation_id": 999999}, "host_organisation_id")):
            r = self.patch(self.organiser, change)
            self.assertEqual(r.status, 422, f"{change}: {r}")
            self.assertIn(field, [e["field"] for e in r.json()["errors"]], change)
        self.assertEqual(self.stored(), self.session)
        self.assertEqual(table_total(self.admin, "/audit"), audit)

    def test_the_audit_entry_says_what_changed_from_what_to_what(self):
        r = self.patch(self.organiser, {"audience_offline": 155, "venue": "职工书屋",
                                        "format": "hybrid", "branches": [branch(headcount=20)]})
        self.assertEqual(r.status, 200, r)
        entries = self.admin.get(f"{V1}/audit?entity=session&entity_id={self.session['id']}"
                                 "&action=update").json()["items"]
        self.assertEqual(len(entries), 1, entries)
        detail = entries[0]["detail"]
        for part in ("现场听众 40 → 155", "地点 “职工之家” → “职工书屋”", "形式 线下 → 主会场+分会场",
                     "分会场 0 个（0 人） → 1 个（20 人）"):
            self.assertIn(part, detail)
        self.assertNotIn("标题", detail)  # unchanged fields are not named

    def test_the_campaign_figures_follow_a_correction(self):
        path = f"{V1}/campaigns/{CAMPAIGN['id']}/statistics"
        before = self.admin.get(path).json()["totals"]
        r = self.patch(self.organiser, {"audience_offline": self.session["audience_offline"] + 100})
        self.assertEqual(r.status, 200, r)
        after = self.admin.get(path).json()["totals"]
        self.assertEqual(after["audience"], before["audience"] + 100)
        self.assertEqual(after["audience_offline"], before["audience_offline"] + 100)
        self.assertEqual(after["sessions"], before["sessions"])

    def test_only_those_in_scope_correct_a_session(self):
        # 乌海: outside 包头's subtree; the demo lecturer does not lecture in this session.
        outsider = SERVER.login("baotou")
        r = self.organiser.post(V1 + "/sessions", body("乌海市焦化集团工会"))
        self.assertEqual(r.status, 201, r)
        self.session = r.json()
        for role, status in (("baotou", 404), ("lecturer", 404), ("requester", 403),
                             ("viewer", 403)):
            client = outsider if role == "baotou" else SERVER.login(role)
            r = self.patch(client, {"audience_offline": 1})
            self.assertEqual(r.status, status, f"{role}: {r}")
        self.assertEqual(self.stored(), self.session)

    def test_a_lecturer_corrects_their_own_sessions_and_stays_in_them(self):
        lecturer = SERVER.login("lecturer")
        r = lecturer.post(V1 + "/sessions", body(lecturers=[OWN]))
        self.assertEqual(r.status, 201, r)
        self.session = r.json()
        r = self.patch(lecturer, {"lecturer_ids": [OTHER]})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["errors"][0]["field"], "lecturer_ids")
        r = self.patch(lecturer, {"audience_offline": 66, "lecturer_ids": [OWN, OTHER]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["lecturer_ids"], [OWN, OTHER])

    def test_an_orders_session_is_corrected_and_keeps_its_order(self):
        ordered = next(s for s in self.admin.get(V1 + "/sessions?page_size=200").json()["items"]
                       if s["source"] == "ordered")
        self.session = ordered
        r = self.patch(self.organiser, {"audience_offline": ordered["audience_offline"] + 1,
                                        "order_id": 1})  # the order is read-only: ignored
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["order_id"], ordered["order_id"])
        self.assertEqual(r.json()["source"], "ordered")
        self.session = r.json()
        r = self.patch(self.organiser, {"source": "unordered"})
        self.assertEqual(r.status, 422, r)


if __name__ == "__main__":
    unittest.main()
