"""Candidates for one order (派单候选) through the real server: a constructed campaign where each
ranking rule decides once, the reasons as data, the lecturers who cannot take it listed last with
why, scope (a league organiser sees its own lecturers only) and bad input.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/candidates_test.py
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"
DAY = "2031-03-12"


def setUpModule():
    global SERVER, CASE
    SERVER = Server(demo=True)
    CASE = build_case(SERVER.login("admin"))


def tearDownModule():
    SERVER.stop()


def build_case(admin):
    """A campaign of its own, far from the demo's days, and seven lecturers of 包头市总工会 each
    meant to land in one place of the ranking, plus one of 乌海 that Baotou must not see."""
    orgs = {o["name"]: o for o in admin.get(V1 + "/organisations?page_size=200").json()["items"]}
    root = admin.get(V1 + "/auth/me").json()["organisation"]["id"]
    r = admin.post(V1 + "/campaigns", {"title": "候选排序测试活动", "owner_organisation_id": root,
                                       "start_date": "2031-03-01", "end_date": "2031-03-31"})
    assert r.status == 201, r
    campaign = r.json()["id"]
    baotou = orgs["包头市总工会"]["id"]

    def lecturer(name, region, topics, languages, category="craftsman", org=baotou, **extra):
        body = {"organisation_id": org, "name": name, "category": category,
                "region_code": region, "topics": topics, "languages": languages,
                "employer": name + "的单位"}
        body.update(extra)
        r = admin.post(V1 + "/lecturers", body)
        assert r.status == 201, r
        return r.json()["id"]

    ids = {
        "requested": lecturer("候选庚", "150700", ["ecology"], ["zh"], category="model_worker"),
        "near": lecturer("候选甲", "150203", ["law"], ["zh", "mn"]),
        "loaded": lecturer("候选乙", "150203", ["law"], ["mn"]),
        "far": lecturer("候选丙", "150700", ["law"], ["mn"]),
        "off_topic": lecturer("候选丁", "150203", ["ecology"], ["mn"]),
        "day_full": lecturer("候选己", "150203", ["law"], ["mn"]),
        "on_leave": lecturer("候选戊", "150203", ["law"], ["mn"], unavailable=[
            {"from": DAY, "to": "2031-03-13", "reason": "住院"}]),
        "wuhai": lecturer("候选辛", "150302", ["law"], ["mn"], org=orgs["乌海市总工会"]["id"]),
    }
    rare_earth = orgs["包头稀土新材料公司工会"]["id"]

    def order(**extra):
        body = {"organisation_id": rare_earth, "campaign_id": campaign,
                "window_from": "2031-03-10", "window_to": "2031-03-14", "region_code": "150203",
                "address": "昆都仑区稀土大街 8 号职工之家", "audience_group": "frontline_workers",
                "expected_audience": 80, "preferred_format": "offline", "priority": 3,
                "contact_name": "张敏", "contact_phone": "0472-5123456"}
        body.update(extra)
        r = admin.post(V1 + "/orders", body)
        assert r.status == 201, r
        return r.json()

    def dispatch(o, lecturer_id, date):
        r = admin.post(f"{V1}/orders/{o['id']}/dispatch",
                       {"version": o["version"], "lecturer_id": lecturer_id, "date": date})
        assert r.status == 200, r

    # 候选乙 already has two lectures this campaign (on other days); 候选己 one in Hulunbuir on
    # the day, which leaves no room for Baotou.
    dispatch(order(), ids["loaded"], "2031-03-10")
    dispatch(order(), ids["loaded"], "2031-03-11")
    dispatch(order(region_code="150700", address="海拉尔区职工活动中心"), ids["day_full"], DAY)
    main = order(preferred_category="craftsman", topic="law", language="mn",
                 preferred_lecturer_id=ids["requested"])
    foreign = order(organisation_id=orgs["乌海市焦化集团工会"]["id"], region_code="150302",
                    address="海勃湾区")
    return {"campaign": campaign, "ids": ids, "order": main, "foreign": foreign}


def candidates(client, order_id, query=f"?date={DAY}&limit=100"):
    return client.get(f"{V1}/orders/{order_id}/candidates{query}")


class Candidates(unittest.TestCase):
    def test_each_rule_ranks_and_the_reasons_are_data(self):
        r = candidates(SERVER.login("organiser"), CASE["order"]["id"])
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual((body["date"], body["online"]), (DAY, False))
        items = body["items"]
        self.assertEqual(len(items), body["lecturers"], "limit 100 shows every lecturer here")
        by_id = {c["lecturer_id"]: c for c in items}
        ids = CASE["ids"]
        mine = [c["lecturer_id"] for c in items if c["lecturer_id"] in ids.values()]
        # Relative order of the Baotou lecturers, each placed by one rule.
        baotou = [i for i in mine if i != ids["wuhai"]]
        self.assertEqual(baotou, [ids[k] for k in ("requested", "near", "loaded", "far",
                                                   "off_topic", "day_full", "on_leave")])
        # Everyone who can be dispatched comes before everyone who cannot.
        flags = [c["dispatchable"] for c in items]
        self.assertEqual(flags, sorted(flags, reverse=True))
        self.assertEqual(body["dispatchable"], sum(flags))

        near = by_id[ids["near"]]
        self.assertEqual((near["category_match"], near["topic_match"], near["language_match"]),
                         ("met", "met", "met"))
        self.assertTrue(near["qualified"] and near["dispatchable"])
        self.assertIsNone(near["blocked"])
        self.assertEqual((near["distance_km"], near["travel_minutes"]), (0, 0))
        self.assertEqual((near["campaign_lectures"], near["same_day_lectures"]), (0, 0))
        self.assertEqual((near["name"], near["category"], near["region_code"]),
                         ("候选甲", "craftsman", "150203"))
        self.assertEqual(by_id[ids["loaded"]]["campaign_lectures"], 2)
        far = by_id[ids["far"]]
        self.assertGreater(far["distance_km"], 800)  # Hailar to Baotou, by road
        self.assertGreater(far["travel_minutes"], 600)
        off = by_id[ids["off_topic"]]
        self.assertEqual((off["topic_match"], off["qualified"]), ("not_met", False))
        requested = by_id[ids["requested"]]
        self.assertTrue(requested["requested"])
        self.assertEqual((requested["category_match"], requested["language_match"]),
                         ("not_met", "not_met"))
        full = by_id[ids["day_full"]]
        self.assertEqual((full["blocked"], full["dispatchable"], full["same_day_lectures"]),
                         ("day_full", False, 1))
        leave = by_id[ids["on_leave"]]
        self.assertEqual((leave["blocked"], leave["unavailable_reason"], leave["dispatchable"]),
                         ("unavailable", "住院", False))
        self.assertFalse(by_id[ids["near"]]["requested"])

    def test_the_day_decides_who_is_free(self):
        organiser = SERVER.login("organiser")
        order_id = CASE["order"]["id"]
        ids = CASE["ids"]
        # The first day of the window by default; 候选戊 is free then, 候选乙 busy.
        default = candidates(organiser, order_id, "?limit=100").json()
        self.assertEqual(default["date"], "2031-03-10")
        by_id = {c["lecturer_id"]: c for c in default["items"]}
        self.assertTrue(by_id[ids["on_leave"]]["dispatchable"])
        self.assertTrue(by_id[ids["day_full"]]["dispatchable"])
        self.assertEqual(by_id[ids["loaded"]]["same_day_lectures"], 1)
        # The dispatch check agrees with the candidates on the day.
        check = organiser.post(f"{V1}/orders/{order_id}/dispatch-check",
                               {"version": CASE["order"]["version"],
                                "lecturer_id": ids["on_leave"], "date": DAY}).json()
        self.assertFalse(check["available"])

    def test_the_list_is_bounded_free_ones_first_then_the_others(self):
        r = candidates(SERVER.login("organiser"), CASE["order"]["id"], f"?date={DAY}&limit=3")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        free = [c for c in items if c["dispatchable"]]
        blocked = [c for c in items if not c["dispatchable"]]
        self.assertEqual(len(free), 3)
        self.assertEqual(free[0]["lecturer_id"], CASE["ids"]["requested"])
        self.assertEqual(items, free + blocked)
        self.assertTrue(1 <= len(blocked) <= 3)
        self.assertTrue(all(c["blocked"] in ("unavailable", "day_full") for c in blocked))

    def test_a_league_organiser_ranks_only_its_own_lecturers(self):
        baotou = SERVER.login("baotou")
        r = candidates(baotou, CASE["order"]["id"])
        self.assertEqual(r.status, 200, r)
        visible = {l["id"] for l in baotou.get(V1 + "/lecturers?active=true&page_size=200")
                   .json()["items"]}
        shown = {c["lecturer_id"] for c in r.json()["items"]}
        self.assertEqual(shown, visible)
        self.assertNotIn(CASE["ids"]["wuhai"], shown)
        self.assertIn(CASE["ids"]["near"], shown)
        # An order beyond its scope does not exist for it.
        self.assertEqual(candidates(baotou, CASE["foreign"]["id"]).status, 404)
        self.assertEqual(candidates(SERVER.login("organiser"), CASE["foreign"]["id"]).status, 200)

    def test_other_roles_are_refused_and_bad_input_is_named(self):
        order_id = CASE["order"]["id"]
        for role in ("requester", "lecturer", "viewer"):
            self.assertEqual(candidates(SERVER.login(role), order_id).status, 403, role)
        organiser = SERVER.login("organiser", lang="en")
        before = organiser.get(f"{V1}/orders/{order_id}").json()
        for query, status, field in (("?date=2031-03-20", 422, "date"),
                                     ("?date=2031-02-30", 400, "date"),
                                     ("?limit=0", 422, "limit"),
                                     ("?limit=101", 422, "limit"),
                                     ("?limit=99999999999999999999", 400, "limit"),
                                     ("?limit=x", 400, "limit")):
            r = candidates(organiser, order_id, query)
            self.assertEqual(r.status, status, (query, r))
            err = r.json()["error"] if "error" in r.json() else r.json()["errors"][0]
            self.assertEqual(err["field"], field, query)
        self.assertEqual(candidates(organiser, 99999999).status, 404)
        self.assertEqual(organiser.get(f"{V1}/orders/{order_id}").json(), before)


if __name__ == "__main__":
    unittest.main()
