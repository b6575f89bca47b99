"""Campaigns (宣讲活动, issue 14): create, edit, extend, close and reopen under optimistic
concurrency; the current / upcoming / past lists with each campaign's derived status; targets by
league/city, banner/county and audience group, validated; scope (a league organiser runs its own
league's campaigns and reads the province's); a closed campaign takes no new orders or sessions;
every change audited, every refusal changing nothing.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/campaigns_test.py
"""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, past_campaign  # noqa: E402

V1 = "/api/v1"
# The server judges "today" in Asia/Shanghai (UTC+8).
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    by_name = {o["name"]: o["id"] for o in orgs}
    root = next(o["id"] for o in orgs if o["parent_id"] is None)
    IDS = {"root": root, "baotou": by_name["包头市总工会"],
           "rare_earth": by_name["包头稀土新材料公司工会"],
           "lecturer": SERVER.login("lecturer").get(V1 + "/auth/me").json()["lecturer_id"]}


def tearDownModule():
    SERVER.stop()


def audit_total(admin):
    return admin.get(V1 + "/audit?page_size=1").json()["total"]


def campaign_body(owner, **extra):
    body = {"title": "职工宣讲进万家", "owner_organisation_id": owner,
            "start_date": day(-10), "end_date": day(30), "description": "把党的声音送到一线",
            "targets": [{"region_code": "150200", "audience_group": "", "sessions": 20,
                         "audience": 2000},
                        {"region_code": "150203", "audience_group": "frontline_workers",
                         "sessions": 5, "audience": 400}]}
    body.update(extra)
    return body


def create(client, owner, **extra):
    r = client.post(V1 + "/campaigns", campaign_body(owner, **extra))
    assert r.status == 201, r
    return r.json()


class CampaignLifecycle(unittest.TestCase):
    def test_create_extend_close_and_reopen_each_audited_with_a_version(self):
        organiser = SERVER.login("organiser")
        admin = SERVER.login("admin")
        c = create(organiser, IDS["root"])
        self.assertEqual((c["status"], c["version"], c["closed_at"]), ("current", 0, None))
        self.assertEqual([t["region_code"] for t in c["targets"]], ["150200", "150203"])
        # Extend: the end date moves, the version with it.
        r = organiser.patch(f"{V1}/campaigns/{c['id']}", {"end_date": day(60), "version": 0})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["end_date"], r.json()["version"]), (day(60), 1))
        # Close, with the version read; the closer is named.
        r = organiser.post(f"{V1}/campaigns/{c['id']}/close", {"version": 1})
        self.assertEqual(r.status, 200, r)
        closed = r.json()
        self.assertEqual((closed["status"], closed["version"], closed["closed_by_name"]),
                         ("closed", 2, "自治区总工会宣教部"))
        self.assertIsNotNone(closed["closed_at"])
        # A closed campaign is not edited until reopened; closing twice is a conflict too.
        r = organiser.patch(f"{V1}/campaigns/{c['id']}", {"title": "改名", "version": 2})
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "state"))
        r = organiser.post(f"{V1}/campaigns/{c['id']}/close", {"version": 2})
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "state"))
        r = organiser.post(f"{V1}/campaigns/{c['id']}/reopen", {"version": 2})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["version"], r.json()["closed_at"]),
                         ("current", 3, None))
        r = organiser.post(f"{V1}/campaigns/{c['id']}/reopen", {"version": 3})
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "state"))
        log = admin.get(f"{V1}/audit?entity=campaign&page_size=50").json()["items"]
        actions = [e["action"] for e in log if e["entity_id"] == c["id"]]
        self.assertEqual(actions, ["reopen", "close", "update", "create"])
        extended = next(e for e in log if e["entity_id"] == c["id"] and e["action"] == "update")
        self.assertIn(day(60), extended["detail"])

    def test_a_stale_version_is_refused_with_the_current_record_and_changes_nothing(self):
        organiser = SERVER.login("organiser")
        admin = SERVER.login("admin")
        c = create(organiser, IDS["root"])
        self.assertEqual(organiser.patch(f"{V1}/campaigns/{c['id']}",
                                         {"description": "第一次修改", "version": 0}).status, 200)
        before = audit_total(admin)
        r = organiser.patch(f"{V1}/campaigns/{c['id']}", {"title": "迟到的修改", "version": 0})
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "version"))
        self.assertEqual((r.json()["current"]["version"], r.json()["current"]["description"]),
                         (1, "第一次修改"))
        r = organiser.post(f"{V1}/campaigns/{c['id']}/close", {"version": 0})
        self.assertEqual((r.status, r.json()["current"]["status"]), (409, "current"))
        r = organiser.post(f"{V1}/campaigns/{c['id']}/close", {})
        self.assertEqual((r.status, r.json()["error"]["field"]), (422, "version"))
        r = organiser.patch(f"{V1}/campaigns/{c['id']}", {"version": -1})
        self.assertEqual((r.status, r.json()["error"]["field"]), (422, "version"))
        self.assertEqual(audit_total(admin), before)
        now = organiser.get(f"{V1}/campaigns/{c['id']}").json()
        self.assertEqual((now["title"], now["version"]), (c["title"], 1))


class CampaignLists(unittest.TestCase):
    def test_current_upcoming_and_past_lists_carry_the_derived_status(self):
        organiser = SERVER.login("organiser")
        current = create(organiser, IDS["root"], title="当前活动")
        upcoming = create(organiser, IDS["root"], title="将来活动", start_date=day(20),
                          end_date=day(50))
        ended = create(organiser, IDS["root"], title="已结束活动", start_date=day(-60),
                       end_date=day(-1))
        closed = create(organiser, IDS["root"], title="已关闭活动")
        self.assertEqual(organiser.post(f"{V1}/campaigns/{closed['id']}/close",
                                        {"version": 0}).status, 200)

        def listed(status):
            r = organiser.get(f"{V1}/campaigns?status={status}&page_size=200")
            self.assertEqual(r.status, 200, r)
            return {c["id"]: c["status"] for c in r.json()["items"]}

        now = listed("current")
        self.assertEqual(now.get(current["id"]), "current")
        self.assertNotIn(upcoming["id"], now)
        self.assertNotIn(closed["id"], now)
        self.assertEqual(listed("upcoming").get(upcoming["id"]), "upcoming")
        self.assertNotIn(current["id"], listed("upcoming"))
        past = listed("past")
        self.assertEqual((past.get(ended["id"]), past.get(closed["id"])), ("ended", "closed"))
        self.assertNotIn(current["id"], past)
        every = listed("")
        self.assertTrue({current["id"], upcoming["id"], ended["id"], closed["id"]} <= set(every))
        r = organiser.get(f"{V1}/campaigns?status=soon")
        self.assertEqual((r.status, r.json()["error"]["field"]), (422, "status"))


class CampaignTargets(unittest.TestCase):
    def refused(self, client, body, field, path=V1 + "/campaigns", method="post"):
        admin = SERVER.login("admin")
        before = (audit_total(admin), admin.get(V1 + "/campaigns").json()["total"])
        r = getattr(client, method)(path, body)
        self.assertEqual(r.status, 422, r)
        self.assertIn(field, [e["field"] for e in r.json()["errors"]], r)
        self.assertEqual((audit_total(admin), admin.get(V1 + "/campaigns").json()["total"]),
                         before)
        return r

    def test_targets_are_leagues_or_counties_within_the_owner_unique_and_non_negative(self):
        baotou = SERVER.login("baotou", lang="en")
        row = {"region_code": "150203", "audience_group": "frontline_workers", "sessions": 1,
               "audience": 10}
        # A region of another league: outside 包头's area.
        r = self.refused(baotou, campaign_body(IDS["baotou"], targets=[
            dict(row, region_code="150303")]), "targets[0].region_code")
        self.assertIn("outside", r.json()["errors"][0]["message"])
        # The province itself is no target row (a row with no region is the whole campaign).
        self.refused(SERVER.login("organiser"), campaign_body(IDS["root"], targets=[
            dict(row, region_code="150000")]), "targets[0].region_code")
        self.refused(baotou, campaign_body(IDS["baotou"], targets=[
            dict(row, region_code="159999")]), "targets[0].region_code")
        self.refused(baotou, campaign_body(IDS["baotou"], targets=[row, dict(row, sessions=3)]),
                     "targets[1].region_code")
        self.refused(baotou, campaign_body(IDS["baotou"], targets=[dict(row, sessions=-1)]),
                     "targets[0].sessions")
        self.refused(baotou, campaign_body(IDS["baotou"], targets=[dict(row, audience=-5)]),
                     "targets[0].audience")
        self.refused(baotou, campaign_body(IDS["baotou"], targets=[
            dict(row, audience_group="astronauts")]), "targets[0].audience_group")
        # The same rules hold on an edit.
        c = create(baotou, IDS["baotou"], targets=[row])
        self.refused(baotou, {"targets": [row, row], "version": 0}, "targets[1].region_code",
                     path=f"{V1}/campaigns/{c['id']}", method="patch")
        # Same region, other groups: three rows, all kept in order.
        ok = baotou.patch(f"{V1}/campaigns/{c['id']}", {"version": 0, "targets": [
            row, dict(row, audience_group="new_forms"), dict(row, audience_group=""),
            {"region_code": "150200", "audience_group": "", "sessions": 0, "audience": 0}]})
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual([(t["region_code"], t["audience_group"]) for t in ok.json()["targets"]],
                         [("150203", "frontline_workers"), ("150203", "new_forms"),
                          ("150203", ""), ("150200", "")])


class CampaignScope(unittest.TestCase):
    def test_a_league_runs_its_own_and_reads_the_provinces(self):
        organiser = SERVER.login("organiser")
        baotou = SERVER.login("baotou")
        admin = SERVER.login("admin")
        province = create(organiser, IDS["root"], title="全区活动")
        league = create(baotou, IDS["baotou"], title="包头市活动",
                        targets=[{"region_code": "150203", "audience_group": "",
                                  "sessions": 3, "audience": 100}])
        # The province's campaign: readable by the league, not editable, not closable.
        self.assertEqual(baotou.get(f"{V1}/campaigns/{province['id']}").status, 200)
        before = audit_total(admin)
        self.assertEqual(baotou.patch(f"{V1}/campaigns/{province['id']}",
                                      {"title": "x", "version": 0}).status, 403)
        self.assertEqual(baotou.post(f"{V1}/campaigns/{province['id']}/close",
                                     {"version": 0}).status, 403)
        self.assertEqual(audit_total(admin), before)
        # The league cannot make a campaign for the province, nor move its own up there.
        self.refused_owner(baotou, campaign_body(IDS["root"]))
        r = baotou.patch(f"{V1}/campaigns/{league['id']}",
                         {"owner_organisation_id": IDS["root"], "version": 0})
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "owner_organisation_id"))
        # The province reads and edits the league's campaign (its subtree).
        r = organiser.post(f"{V1}/campaigns/{league['id']}/close", {"version": 0})
        self.assertEqual(r.status, 200, r)
        # Roles without campaigns.write are refused before anything is read.
        for who in ("viewer", "requester", "lecturer"):
            client = SERVER.login(who)
            self.assertEqual(client.post(f"{V1}/campaigns/{league['id']}/reopen",
                                         {"version": 1}).status, 403, who)
            self.assertEqual(client.get(V1 + "/campaigns?status=past").status, 200, who)
        self.assertEqual(organiser.post(f"{V1}/campaigns/999999/close",
                                        {"version": 0}).status, 404)

    def refused_owner(self, client, body):
        r = client.post(V1 + "/campaigns", body)
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "owner_organisation_id"))

    def test_a_sibling_league_neither_sees_nor_touches_another_leagues_campaign(self):
        baotou = SERVER.login("baotou")
        league = create(baotou, IDS["baotou"], title="包头市专属活动", targets=[])
        admin = SERVER.login("admin")
        orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
        wuhai = next(o["id"] for o in orgs if o["name"] == "乌海市总工会")
        r = admin.post(V1 + "/accounts", {
            "username": "wuhai_organiser", "display_name": "乌海组织者", "role": "organiser",
            "organisation_id": wuhai, "password": "Wuhai-organiser-2026"})
        self.assertEqual(r.status, 201, r)
        SERVER.passwords["wuhai_organiser"] = "Wuhai-organiser-2026"
        other = SERVER.login("wuhai_organiser")
        self.assertEqual(other.get(f"{V1}/campaigns/{league['id']}").status, 404)
        self.assertEqual(other.post(f"{V1}/campaigns/{league['id']}/close",
                                    {"version": 0}).status, 404)
        self.assertEqual(other.patch(f"{V1}/campaigns/{league['id']}",
                                     {"end_date": day(90)}).status, 404)
        listed = other.get(V1 + "/campaigns?page_size=200").json()["items"]
        self.assertNotIn(league["id"], [c["id"] for c in listed])


class ClosedCampaigns(unittest.TestCase):
    def order_body(self, campaign):
        return {"campaign_id": campaign["id"], "window_from": day(1), "window_to": day(7),
                "region_code": "150203", "address": "职工之家",
                "audience_group": "frontline_workers", "expected_audience": 50,
                "preferred_format": "offline", "topic": "craftsmanship", "priority": 3,
                "contact_name": "张敏", "contact_phone": "0472-5123456"}

    def session_body(self, campaign):
        return {"campaign_id": campaign["id"], "title": "车间宣讲", "date": day(0),
                "venue": "职工之家", "host_organisation_id": IDS["rare_earth"],
                "region_code": "150203", "audience_group": "frontline_workers",
                "format": "offline", "audience_offline": 40, "lecturer_ids": [IDS["lecturer"]]}

    def test_a_closed_campaign_takes_no_new_order_or_session_until_reopened(self):
        organiser = SERVER.login("organiser")
        requester = SERVER.login("requester", lang="en")
        admin = SERVER.login("admin")
        c = create(organiser, IDS["root"], title="将关闭的活动")
        self.assertEqual(requester.post(V1 + "/orders", self.order_body(c)).status, 201)
        session = organiser.post(V1 + "/sessions", self.session_body(c))
        self.assertEqual(session.status, 201, session)
        self.assertEqual(organiser.post(f"{V1}/campaigns/{c['id']}/close",
                                        {"version": 0}).status, 200)
        before = (audit_total(admin), admin.get(V1 + "/orders").json()["total"],
                  admin.get(V1 + "/sessions").json()["total"])
        r = requester.post(V1 + "/orders", self.order_body(c))
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "campaign_id"))
        self.assertIn("closed", r.json()["errors"][0]["message"])
        r = organiser.post(V1 + "/sessions", self.session_body(c))
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "campaign_id"))
        # Moving a session within the closed campaign is a new session in it too.
        version = session.json()["version"]
        r = organiser.patch(f"{V1}/sessions/{session.json()['id']}",
                            {"date": day(1), "version": version})
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "campaign_id"))
        self.assertEqual((audit_total(admin), admin.get(V1 + "/orders").json()["total"],
                          admin.get(V1 + "/sessions").json()["total"]), before)
        # What it already holds can still be corrected without moving it.
        r = organiser.patch(f"{V1}/sessions/{session.json()['id']}",
                            {"audience_offline": 45, "version": version})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(organiser.post(f"{V1}/campaigns/{c['id']}/reopen",
                                        {"version": 1}).status, 200)
        self.assertEqual(requester.post(V1 + "/orders", self.order_body(c)).status, 201)

    def test_an_ended_campaign_and_a_past_window_take_no_order(self):
        requester = SERVER.login("requester")
        admin = SERVER.login("admin")
        ended = past_campaign(requester)  # the demo's 2022 campaign, never closed
        self.assertIsNone(ended["closed_at"])
        running = create(SERVER.login("organiser"), IDS["root"], title="进行中的活动",
                         start_date=day(-30), end_date=day(30))
        english = SERVER.login("requester", lang="en")
        before = (audit_total(admin), admin.get(V1 + "/orders").json()["total"])
        body = dict(self.order_body(ended), window_from="2022-12-05", window_to="2022-12-09")
        r = requester.post(V1 + "/orders", body)
        self.assertEqual(r.status, 422, r)
        errors = {e["field"]: e["message"] for e in r.json()["errors"]}
        self.assertIn("已于 2023-01-31 结束", errors["campaign_id"])
        self.assertIn("今天或以后", errors["window_to"])
        en = english.post(V1 + "/orders", body).json()
        self.assertIn("ended on 2023-01-31", en["errors"][0]["message"])
        # In a running campaign, a window that has passed is refused too; one that ends today
        # is still a lecture to come.
        r = requester.post(V1 + "/orders", dict(self.order_body(running),
                                                window_from=day(-9), window_to=day(-2)))
        self.assertEqual([e["field"] for e in r.json()["errors"]], ["window_to"])
        self.assertEqual((audit_total(admin), admin.get(V1 + "/orders").json()["total"]), before)
        r = requester.post(V1 + "/orders", dict(self.order_body(running),
                                                window_from=day(-3), window_to=day(0)))
        self.assertEqual(r.status, 201, r)
        # Editing an order may not move its window into the past either.
        order = r.json()
        r = requester.patch(f"{V1}/orders/{order['id']}",
                            {"version": order["version"], "window_to": day(-1)})
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "window_to"))


if __name__ == "__main__":
    unittest.main()
