"""Coverage gaps (GET /api/v1/statistics/coverage, issue 15 point 2): every cell recounted here
from the sessions the caller may list, for the province and for a league (包头), at league and
county level, by week and by month; no place outside the caller's scope; a campaign made here
with targets, and the shares, `behind` and `empty` marks they give; what could fill a gap
(GET /api/v1/statistics/coverage/fill); refusals name their field.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/coverage_test.py
"""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, order_campaign, past_campaign  # noqa: E402

V1 = "/api/v1"
TARGETS = "2023-03-01", "2023-03-31"


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    by_name = {o["name"]: o["id"] for o in orgs}
    me = SERVER.login("lecturer").get(V1 + "/auth/me").json()
    root = admin.get(V1 + "/auth/me").json()["organisation"]["id"]
    IDS = {
        "root": root,
        "rare_earth": by_name["包头稀土新材料公司工会"],
        "wuhai_union": by_name["乌海市焦化集团工会"],
        "baotou": by_name["包头市总工会"],
        "wuhai": by_name["乌海市总工会"],
        "past": past_campaign(admin)["id"],
        "lecturer": me["lecturer_id"],
    }
    # A campaign of March 2023 with targets: 包头 5 sessions and 500 people in any group; 乌海's
    # frontline workers 2 sessions; 10 sessions across the province.
    r = admin.post(V1 + "/campaigns", {
        "title": "覆盖测试宣讲月", "owner_organisation_id": root,
        "start_date": TARGETS[0], "end_date": TARGETS[1],
        "targets": [{"region_code": "150200", "audience_group": "", "sessions": 5, "audience": 500},
                    {"region_code": "150300", "audience_group": "frontline_workers",
                     "sessions": 2, "audience": 0},
                    {"region_code": "", "audience_group": "", "sessions": 10, "audience": 0}]})
    assert r.status == 201, r
    IDS["targets"] = r.json()["id"]
    for host, region, date, group, offline, branch in [
            ("rare_earth", "150203", "2023-03-02", "frontline_workers", 40, 11),
            ("rare_earth", "150203", "2023-03-08", "new_forms", 200, 0),
            ("wuhai_union", "150302", "2023-03-15", "frontline_workers", 30, 0)]:
        body = {"title": "覆盖宣讲", "date": date, "venue": "职工之家", "campaign_id": IDS["targets"],
                "host_organisation_id": IDS[host], "region_code": region, "industry": "C",
                "audience_group": group, "format": "hybrid" if branch else "offline",
                "audience_offline": offline, "online_viewers": 7 if branch else 0,
                "lecturer_ids": [IDS["lecturer"]], "branches": []}
        if branch:
            body["branches"] = [{"host_organisation_id": IDS[host], "venue": "分会场",
                                 "region_code": region, "audience_group": "officials",
                                 "headcount": branch}]
        r = admin.post(V1 + "/sessions", body)
        assert r.status == 201, r


def tearDownModule():
    SERVER.stop()


def listed(client, date_from, date_to, campaign_ids):
    """Every session `client` may list in the period, of the campaigns (all when none)."""
    out = []
    for campaign in campaign_ids or [None]:
        page = 1
        while True:
            query = f"date_from={date_from}&date_to={date_to}&page_size=200&page={page}"
            if campaign is not None:
                query += f"&campaign_id={campaign}"
            r = client.get(f"{V1}/sessions?{query}")
            assert r.status == 200, r
            items = r.json()["items"]
            out += items
            if not items or page * 200 >= r.json()["total"]:
                break
            page += 1
    return out


def column_of(date, grain):
    day = datetime.date.fromisoformat(date)
    if grain == "month":
        return date[:7]
    return (day - datetime.timedelta(days=day.weekday())).isoformat()


def recount(sessions, row_codes, level, grain):
    """{(row, period)}, {(row, group)} → [sessions, audience], and what fell on no row: a branch
    venue counts its headcount where it is, everything else counts where the main venue is."""
    by_period, by_group, elsewhere = {}, {}, [0, 0]

    def row_of(code):
        if code in row_codes and not (level == "league" and code.endswith("00")
                                      and not code.endswith("0000")):
            return code
        if level == "league" and code[:4] + "00" in row_codes:
            return code[:4] + "00"
        return None

    def add(code, group, date, sessions, audience):
        row = row_of(code)
        if row is None:
            elsewhere[0] += sessions
            elsewhere[1] += audience
            return
        for table, key in ((by_period, (row, column_of(date, grain))), (by_group, (row, group))):
            cell = table.setdefault(key, [0, 0])
            cell[0] += sessions
            cell[1] += audience

    for s in sessions:
        add(s["region_code"], s["audience_group"], s["date"], 1,
            s["audience_offline"] + s["online_viewers"])
        for b in s["branches"]:
            add(b["region_code"], b["audience_group"], s["date"], 0, b["headcount"])
    return by_period, by_group, elsewhere


def pro_rata(target, days, campaign_days):
    return (2 * target * days + campaign_days) // (2 * campaign_days)


def overlap(a_from, a_to, b_from, b_to):
    first, last = max(a_from, b_from), min(a_to, b_to)
    return max(0, (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days + 1)


class Coverage(unittest.TestCase):
    def coverage(self, who, query):
        r = SERVER.login(who).get(f"{V1}/statistics/coverage?{query}")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def assert_recounted(self, who, query, campaigns):
        got = self.coverage(who, query)
        sessions = listed(SERVER.login(who), got["from"], got["to"], campaigns)
        self.assertTrue(sessions)
        codes = [row["code"] for row in got["by_period"]["rows"]]
        self.assertEqual(codes, sorted(codes), "GB/T 2260 order")
        self.assertEqual(codes, [row["code"] for row in got["by_group"]["rows"]])
        by_period, by_group, elsewhere = recount(sessions, set(codes), got["level"], got["grain"])
        for name, table in (("by_period", by_period), ("by_group", by_group)):
            matrix = got[name]
            keys = [c["key"] for c in matrix["columns"]]
            seen = {}
            for row in matrix["rows"]:
                self.assertEqual(len(row["cells"]), len(keys))
                for key, cell in zip(keys, row["cells"]):
                    seen[(row["code"], key)] = [cell["sessions"], cell["audience"]]
                    if cell["sessions"] == 0 and cell["mark"] != "future":
                        self.assertEqual(cell["mark"], "empty", (name, row["code"], key))
                self.assertEqual(row["total"]["sessions"], sum(c["sessions"] for c in row["cells"]))
                self.assertEqual(row["total"]["audience"], sum(c["audience"] for c in row["cells"]))
            nonzero = {k: v for k, v in seen.items() if v != [0, 0]}
            self.assertEqual(nonzero, table, name)
            for i, column in enumerate(matrix["columns"]):
                self.assertEqual(column["total"]["sessions"],
                                 sum(r["cells"][i]["sessions"] for r in matrix["rows"]))
            self.assertEqual(matrix["total"]["sessions"],
                             sum(r["total"]["sessions"] for r in matrix["rows"]))
        self.assertEqual([got["elsewhere"]["sessions"], got["elsewhere"]["audience"]], elsewhere)
        return got

    def test_the_province_by_league_and_by_county(self):
        past = IDS["past"]
        got = self.assert_recounted("admin", f"campaign_ids={past}&grain=month", [past])
        self.assertEqual(got["level"], "league")
        leagues = [r for r in got["by_period"]["rows"] if r["level"] == "city"]
        self.assertEqual(len(leagues), 12)  # every league and city, the idle ones too
        self.assertEqual(leagues[1]["name"], "包头市")
        got = self.assert_recounted("admin", f"campaign_ids={past}&grain=week&level=county", [past])
        counties = [r for r in got["by_period"]["rows"] if r["level"] == "county"]
        self.assertGreaterEqual(len(counties), 103)
        self.assertTrue(all(r["parent"] == r["code"][:4] + "00" for r in counties))
        # Every session of any campaign over one autumn.
        self.assert_recounted("viewer", "from=2022-09-01&to=2022-12-31&grain=week", [])

    def test_a_league_sees_its_own_counties_only(self):
        past = IDS["past"]
        got = self.assert_recounted("baotou", f"campaign_ids={past}&grain=month", [past])
        self.assertEqual(got["level"], "county")
        codes = [r["code"] for r in got["by_period"]["rows"]]
        self.assertTrue(all(c.startswith("1502") for c in codes), codes)
        self.assertIn("150222", codes)  # 固阳县, with or without a session
        got = self.assert_recounted("baotou", f"campaign_ids={past}&level=league&grain=week",
                                    [past])
        self.assertEqual([r["code"] for r in got["by_period"]["rows"]], ["150200"])
        # The province narrowed to 包头 is 包头's own view.
        narrowed = self.coverage("admin", f"campaign_ids={past}&organisation_id={IDS['baotou']}")
        own = self.coverage("baotou", f"campaign_ids={past}")
        self.assertEqual(narrowed["by_period"]["rows"], own["by_period"]["rows"])
        self.assertEqual(narrowed["by_group"], own["by_group"])

    def test_targets_give_shares_and_marks(self):
        got = self.coverage("admin", f"campaign_ids={IDS['targets']}&grain=week")
        self.assertEqual((got["from"], got["to"]), TARGETS)
        period = got["by_period"]
        keys = [c["key"] for c in period["columns"]]
        self.assertEqual(keys, ["2023-02-27", "2023-03-06", "2023-03-13", "2023-03-20",
                                "2023-03-27"])
        rows = {r["code"]: r for r in period["rows"]}
        baotou = rows["150200"]
        for column, cell in zip(period["columns"], baotou["cells"]):
            days = overlap(column["first"], column["last"], *TARGETS)
            self.assertEqual(cell["expected_sessions"], pro_rata(5, days, 31))
            self.assertEqual(cell["expected_audience"], pro_rata(500, days, 31))
            self.assertTrue(cell["targeted"])
        # Week 1: one session, 58 people against 81 → behind; week 2: 200 against 113 → ok.
        self.assertEqual([c["mark"] for c in baotou["cells"]],
                         ["behind", "ok", "empty", "empty", "empty"])
        self.assertEqual((baotou["cells"][0]["sessions"], baotou["cells"][0]["audience"]), (1, 58))
        self.assertEqual(baotou["cells"][0]["expected_audience"], 81)
        self.assertEqual((baotou["total"]["expected_sessions"], baotou["total"]["mark"]),
                         (5, "behind"))
        # 乌海's target is for one group: its row over time has no target; its session is ok.
        wuhai = rows["150300"]
        self.assertFalse(any(c["targeted"] for c in wuhai["cells"]))
        self.assertEqual([c["mark"] for c in wuhai["cells"]],
                         ["empty", "empty", "ok", "empty", "empty"])
        self.assertEqual(rows["150100"]["total"]["mark"], "empty")  # 呼和浩特: a gap
        # The whole campaign's 10 sessions on the column totals and the total.
        for column in period["columns"]:
            days = overlap(column["first"], column["last"], *TARGETS)
            self.assertEqual(column["total"]["expected_sessions"], pro_rata(10, days, 31))
        self.assertEqual(period["total"]["expected_sessions"], 10)
        self.assertEqual((period["total"]["sessions"], period["total"]["mark"]), (3, "behind"))
        # By group: 乌海's frontline workers, 1 session of 2.
        groups = got["by_group"]
        frontline = [c["key"] for c in groups["columns"]].index("frontline_workers")
        cell = {r["code"]: r for r in groups["rows"]}["150300"]["cells"][frontline]
        self.assertEqual((cell["sessions"], cell["expected_sessions"], cell["mark"]),
                         (1, 2, "behind"))
        self.assertEqual(len(got["targets"]), 3)
        # 包头's own view keeps only its own target.
        own = self.coverage("baotou", f"campaign_ids={IDS['targets']}&grain=month")
        self.assertEqual([t["region_code"] for t in own["targets"]], ["150200"])
        self.assertEqual(own["by_period"]["rows"][0]["code"], "150200")
        self.assertTrue(own["by_period"]["rows"][0]["total"]["targeted"])

    def test_no_place_outside_the_scope(self):
        for who, prefix in (("baotou", "1502"), ("requester", "1502")):
            got = self.coverage(who, f"campaign_ids={IDS['past']}&level=county")
            for matrix in (got["by_period"], got["by_group"]):
                for row in matrix["rows"]:
                    self.assertTrue(row["code"].startswith(prefix), (who, row["code"]))

    def test_refusals_name_their_field(self):
        admin = SERVER.login("admin")
        for query, status, field in [
                ("grain=day", 400, "grain"), ("level=village", 400, "level"),
                ("from=2023-02-30", 400, "from"), ("campaign_ids=1,x", 400, "campaign_ids"),
                ("organisation_id=abc", 400, "organisation_id"),
                ("from=2023-03-01&to=2023-02-01", 422, "to"),
                ("from=2020-01-01&to=2023-12-31&grain=week", 422, "to")]:
            r = admin.get(f"{V1}/statistics/coverage?{query}")
            self.assertEqual(r.status, status, (query, r))
            self.assertEqual(r.json()["error"]["field"], field, query)
        self.assertEqual(admin.get(f"{V1}/statistics/coverage?from=2020-01-01&to=2023-12-31"
                                   "&grain=month").status, 200)
        baotou = SERVER.login("baotou")
        self.assertEqual(baotou.get(f"{V1}/statistics/coverage?organisation_id={IDS['wuhai']}")
                         .status, 404)
        self.assertEqual(admin.get(f"{V1}/statistics/coverage?campaign_ids=999999").status, 404)
        self.assertEqual(SERVER.login("lecturer").get(f"{V1}/statistics/coverage").status, 403)


class Fill(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        admin = SERVER.login("admin")
        campaign = order_campaign(admin)
        cls.campaign = campaign["id"]
        r = admin.post(V1 + "/orders", {
            "campaign_id": campaign["id"], "organisation_id": IDS["rare_earth"],
            "window_from": "2051-01-10", "window_to": "2051-01-20", "region_code": "150203",
            "address": "职工之家", "audience_group": "frontline_workers", "expected_audience": 50,
            "preferred_format": "offline", "priority": 3,
            "contact_name": "张敏", "contact_phone": "0472-5123456"})
        assert r.status == 201, r
        cls.order = r.json()["id"]
        # The demo lecturer is away all January 2051.
        r = admin.patch(f"{V1}/lecturers/{IDS['lecturer']}", {
            "unavailable": [{"from": "2051-01-01", "to": "2051-01-31", "reason": "外出学习"}]})
        assert r.status == 200, r

    def fill(self, who, query, status=200):
        r = SERVER.login(who).get(f"{V1}/statistics/coverage/fill?{query}")
        self.assertEqual(r.status, status, r)
        return r.json()

    def test_open_orders_of_the_place_and_group(self):
        window = "from=2051-01-01&to=2051-01-31"
        got = self.fill("admin", f"region_code=150200&audience_group=frontline_workers&{window}")
        self.assertIn(self.order, [o["id"] for o in got["orders"]])
        self.assertEqual(got["region_name"], "包头市")
        for o in got["orders"]:
            self.assertIn(o["state"], ("submitted", "dispatched", "accepted"))
            self.assertTrue(o["region_code"].startswith("1502"))
            self.assertEqual(o["audience_group"], "frontline_workers")
        other_group = self.fill("admin", f"region_code=150200&audience_group=new_forms&{window}")
        self.assertNotIn(self.order, [o["id"] for o in other_group["orders"]])
        elsewhere = self.fill("admin", f"region_code=150300&{window}")
        self.assertNotIn(self.order, [o["id"] for o in elsewhere["orders"]])
        other_month = self.fill("admin", "region_code=150203&from=2051-03-01&to=2051-03-31")
        self.assertNotIn(self.order, [o["id"] for o in other_month["orders"]])
        narrowed = self.fill("admin", f"region_code=150203&{window}&campaign_ids={IDS['past']}")
        self.assertNotIn(self.order, [o["id"] for o in narrowed["orders"]])
        self.assertIn(self.order, [o["id"] for o in self.fill("baotou", f"region_code=150203&"
                                                               f"{window}")["orders"]])

    def test_free_lecturers_in_scope_nearest_first(self):
        window = "from=2051-01-01&to=2051-01-31"
        got = self.fill("admin", f"region_code=150200&{window}&limit=100")
        ids = [l["id"] for l in got["lecturers"]]
        self.assertTrue(ids)
        self.assertNotIn(IDS["lecturer"], ids)  # away the whole month
        self.assertEqual(got["available"], len(ids))
        self.assertTrue(all(l["free_days"] > 0 for l in got["lecturers"]))
        # The same lecturer is free in February.
        february = self.fill("admin", "region_code=150200&from=2051-02-01&to=2051-02-28&limit=100")
        self.assertIn(IDS["lecturer"], [l["id"] for l in february["lecturers"]])
        self.assertEqual(february["available"], got["available"] + 1)
        # 包头's organiser sees 包头's lecturers only.
        baotou = SERVER.login("baotou")
        own = {l["id"] for l in baotou.get(V1 + "/lecturers?page_size=200").json()["items"]}
        got = self.fill("baotou", f"region_code=150203&{window}&limit=100")
        self.assertTrue({l["id"] for l in got["lecturers"]} <= own)
        # Those within 100 km come before those further (the dispatch board's bands).
        far = [l["distance_km"] for l in self.fill("admin", f"region_code=150200&{window}")
               ["lecturers"] if l["distance_km"] is not None]
        bands = [int(d // 100) for d in far]
        self.assertEqual(bands, sorted(bands))

    def test_refusals_name_their_field(self):
        for query, status, field in [
                ("region_code=999999", 422, "region_code"), ("region_code=", 422, "region_code"),
                ("region_code=150200&audience_group=nobody", 422, "audience_group"),
                ("region_code=150200&limit=0", 422, "limit"),
                ("region_code=150200&limit=x", 400, "limit"),
                ("region_code=150200&to=2051-13-01", 400, "to")]:
            got = self.fill("admin", query, status)
            self.assertEqual(got["error"]["field"], field, query)
        self.fill("lecturer", "region_code=150200", 403)


if __name__ == "__main__":
    unittest.main()
