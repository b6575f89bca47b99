"""Statistics over a period and any set of campaigns (GET /api/v1/statistics, issue 15): every
figure recounted here from the sessions the caller may list, for the province, a league and a
lecturer; periods across a new year; several campaigns and all; the same period a year before.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/statistics_period_test.py
"""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, past_campaign  # noqa: E402

V1 = "/api/v1"


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    by_name = {o["name"]: o["id"] for o in orgs}
    campaigns = admin.get(V1 + "/campaigns?page_size=200").json()["items"]
    past = past_campaign(admin)
    me = SERVER.login("lecturer").get(V1 + "/auth/me").json()
    IDS = {
        "rare_earth": by_name["包头稀土新材料公司工会"],
        "wuhai_union": by_name["乌海市焦化集团工会"],
        "baotou": by_name["包头市总工会"],
        "past": past["id"],
        "current": next(c["id"] for c in campaigns if c["id"] != past["id"]),
        "lecturer": me["lecturer_id"],
    }
    # The year before the 2022 campaign, and sessions of no campaign: in 包头, and one in 乌海
    # whose industry (T) nobody else records, to show it never reaches 包头's figures.
    for host, region, date, industry, group in [
            ("rare_earth", "150203", "2021-12-10", "C", "frontline_workers"),
            ("rare_earth", "150203", "2022-01-05", "C", "new_forms"),
            ("wuhai_union", "150302", "2021-12-20", "B", "miners"),
            ("wuhai_union", "150302", "2022-12-28", "T", "miners"),
            ("rare_earth", "150203", "2022-12-30", "", "frontline_workers")]:
        r = admin.post(V1 + "/sessions", {
            "title": "年终宣讲", "date": date, "venue": "职工之家",
            "host_organisation_id": IDS[host], "region_code": region, "industry": industry,
            "audience_group": group, "format": "hybrid", "audience_offline": 40,
            "online_viewers": 7, "lecturer_ids": [IDS["lecturer"]],
            "branches": [{"host_organisation_id": IDS[host], "venue": "分会场",
                          "region_code": region, "audience_group": "officials",
                          "headcount": 11}]})
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


def recount(sessions, categories):
    """The figures worked out from the sessions: a branch venue's headcount counts where the
    branch is (league, county, audience group), everything else where the main venue is."""
    totals = {"sessions": len(sessions), "audience_offline": 0, "online_viewers": 0,
              "branch_headcount": 0}
    tables = {k: {} for k in ("leagues", "counties", "industries", "audience_groups",
                              "lecturer_categories", "formats", "months", "weekly",
                              "lecturers")}

    def count(table, key, sessions, audience):
        s, a = tables[table].get(key, (0, 0))
        tables[table][key] = (s + sessions, a + audience)

    def place(code, sessions, audience):
        count("leagues", code[:4] + "00", sessions, audience)
        if not code.endswith("00"):
            count("counties", code, sessions, audience)

    for s in sessions:
        main = s["audience_offline"] + s["online_viewers"]
        total = main + sum(b["headcount"] for b in s["branches"])
        totals["audience_offline"] += s["audience_offline"]
        totals["online_viewers"] += s["online_viewers"]
        place(s["region_code"], 1, main)
        count("audience_groups", s["audience_group"], 1, main)
        for b in s["branches"]:
            totals["branch_headcount"] += b["headcount"]
            place(b["region_code"], 0, b["headcount"])
            count("audience_groups", b["audience_group"], 0, b["headcount"])
        count("industries", s["industry"], 1, total)
        count("formats", s["format"], 1, total)
        count("months", s["date"][:7], 1, total)
        day = datetime.date.fromisoformat(s["date"])
        count("weekly", (day - datetime.timedelta(days=day.weekday())).isoformat(), 1, total)
        for category in {categories[i] for i in s["lecturer_ids"]}:
            count("lecturer_categories", category, 1, total)
        for i in s["lecturer_ids"]:
            count("lecturers", i, 1, total)
    totals["audience"] = (totals["audience_offline"] + totals["online_viewers"]
                          + totals["branch_headcount"])
    totals["lecturers"] = len(tables["lecturers"])
    return totals, tables


def shift_month(key):
    return f"{int(key[:4]) + 1}{key[4:]}"


class PeriodStatistics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        admin = SERVER.login("admin")
        cls.categories = {l["id"]: l["category"] for l in
                          admin.get(V1 + "/lecturers?page_size=200").json()["items"]}

    def figures(self, client, query):
        r = client.get(f"{V1}/statistics?{query}")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def assert_recounted(self, who, date_from, date_to, campaign_ids, extra=""):
        client = SERVER.login(who)
        query = f"from={date_from}&to={date_to}" + extra
        if campaign_ids:
            query += "&campaign_ids=" + ",".join(str(c) for c in campaign_ids)
        got = self.figures(client, query)
        self.assertEqual((got["from"], got["to"]), (date_from, date_to))
        totals, tables = recount(listed(client, date_from, date_to, campaign_ids),
                                 self.categories)
        self.assertEqual({k: got["totals"][k] for k in totals}, totals, who)
        # The same days a year before, every campaign's sessions.
        before_from = f"{int(date_from[:4]) - 1}{date_from[4:]}"
        before_to = f"{int(date_to[:4]) - 1}{date_to[4:]}"
        self.assertEqual((got["previous_from"], got["previous_to"]), (before_from, before_to))
        previous, then = recount(listed(client, before_from, before_to, []), self.categories)
        self.assertEqual({k: got["previous"][k] for k in previous}, previous, who)
        for table in ("leagues", "counties", "industries", "audience_groups",
                      "lecturer_categories", "formats", "months"):
            now = {x["code"]: (x["sessions"], x["audience"]) for x in got[table]
                   if x["sessions"] or x["audience"]}
            self.assertEqual(now, tables[table], f"{who} {table}")
            shifted = {shift_month(k) if table == "months" else k: v
                       for k, v in then[table].items()}
            before = {x["code"]: (x["previous_sessions"], x["previous_audience"])
                      for x in got[table] if x["previous_sessions"] or x["previous_audience"]}
            self.assertEqual(before, shifted, f"{who} {table} a year before")
        self.assertEqual({w["week_start"]: (w["sessions"], w["audience"]) for w in got["weekly"]
                          if w["sessions"]}, tables["weekly"])
        first = datetime.date.fromisoformat(date_from)
        self.assertEqual(got["weekly"][0]["week_start"],
                         (first - datetime.timedelta(days=first.weekday())).isoformat())
        months = [m["code"] for m in got["months"]]
        self.assertEqual((months[0], months[-1]), (date_from[:7], date_to[:7]))
        self.assertEqual(len(months), len(set(months)))
        for lecturer in got["lecturers"]:
            self.assertEqual((lecturer["sessions"], lecturer["audience"]),
                             tables["lecturers"][lecturer["id"]])
        busiest = sorted((-s for s, _ in tables["lecturers"].values()))[:len(got["lecturers"])]
        self.assertEqual([-l["sessions"] for l in got["lecturers"]], busiest)
        return got

    def test_the_province_across_a_new_year_and_campaigns(self):
        for campaigns in ([IDS["past"]], [IDS["past"], IDS["current"]], []):
            got = self.assert_recounted("organiser", "2022-12-01", "2023-01-15", campaigns)
            self.assertEqual(len(got["leagues"]), 12)
        # All campaigns (and none) over four years, against the year before.
        got = self.assert_recounted("organiser", "2022-01-01", "2026-12-31", [])
        self.assertGreater(got["previous"]["sessions"], 0)
        got = self.assert_recounted("viewer", "2022-11-01", "2023-01-31", [IDS["past"]])
        # The campaign's own figures and the period's agree over the campaign's period.
        own = self.figures(SERVER.login("viewer"), f"campaign_ids={IDS['past']}")
        campaign = SERVER.login("viewer").get(f"{V1}/campaigns/{IDS['past']}/statistics").json()
        self.assertEqual(own["totals"], campaign["totals"])
        self.assertEqual((own["from"], own["to"]), ("2022-11-01", "2023-01-31"))

    def test_a_league_sees_its_own_subtree_only(self):
        for campaigns in ([IDS["past"]], []):
            got = self.assert_recounted("baotou", "2021-12-01", "2023-01-31", campaigns)
            self.assertNotIn("T", [i["code"] for i in got["industries"]])
            self.assertNotIn("150302", [c["code"] for c in got["counties"] if c["sessions"]])
            self.assertEqual([l["code"] for l in got["leagues"] if l["sessions"]], ["150200"])
        # Asking for a subtree outside one's scope counts nothing.
        outside = self.figures(SERVER.login("baotou"),
                               f"from=2021-01-01&to=2023-12-31&organisation_id={IDS['wuhai_union']}")
        self.assertEqual((outside["totals"]["sessions"], outside["previous"]["sessions"],
                          sum(o["count"] for o in outside["orders"])), (0, 0, 0))
        # The province's view narrowed to 包头 is 包头's own.
        narrowed = self.figures(SERVER.login("organiser"),
                                f"from=2022-12-01&to=2023-01-15&organisation_id={IDS['baotou']}")
        own = self.figures(SERVER.login("baotou"), "from=2022-12-01&to=2023-01-15")
        self.assertEqual((narrowed["totals"], narrowed["previous"]), (own["totals"], own["previous"]))

    def test_a_lecturer_sees_their_own_lectures(self):
        got = self.assert_recounted("lecturer", "2021-12-01", "2023-01-31", [])
        self.assertEqual(got["lecturers"][0]["id"], IDS["lecturer"])
        self.assertGreater(got["previous"]["sessions"], 0)

    def test_refusals(self):
        organiser = SERVER.login("organiser")
        r = organiser.get(f"{V1}/statistics?from=2023-01-02&to=2023-01-01")
        self.assertEqual((r.status, r.json()["error"]["details"][0]["field"]
                          if "details" in r.json()["error"] else r.json()["error"]["field"]),
                         (422, "to"))
        r = organiser.get(f"{V1}/statistics?from=2000-01-01&to=2023-01-01")
        self.assertEqual(r.status, 422, r)
        for bad in ("abc", "1,,2", "0", "1;2", "-1"):
            r = organiser.get(f"{V1}/statistics?campaign_ids={bad}")
            self.assertEqual((r.status, r.json()["error"]["field"]), (400, "campaign_ids"), bad)
        self.assertEqual(organiser.get(f"{V1}/statistics?campaign_ids=999999").status, 404)
        self.assertEqual(organiser.get(f"{V1}/statistics?from=2023-02-30").status, 400)
        self.assertEqual(SERVER.client().get(f"{V1}/statistics").status, 401)


if __name__ == "__main__":
    unittest.main()
