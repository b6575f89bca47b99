"""The lecture workflow through the real server: order → dispatch → accept or decline → deliver
→ rate, for each role; the dispatch checks (unavailability, travel, the version that lets only
one of two parallel dispatches win); the order's history; the inbox and its reminders.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/workflow_test.py
"""
import datetime
import os
import sys
import threading
import time
import unittest

import icalendar

sys.path.insert(0, os.path.dirname(__file__))
from harness import PAST_CAMPAIGN_TITLE, Server, order_campaign, past_campaign, png_bytes  # noqa: E402

V1 = "/api/v1"


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    IDS = ids_of(admin)


def tearDownModule():
    SERVER.stop()


def ids_of(admin):
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    by_name = {o["name"]: o["id"] for o in orgs}
    me = SERVER.login("lecturer").get(V1 + "/auth/me").json()
    lecturers = admin.get(V1 + "/lecturers?page_size=200").json()["items"]
    return {
        "rare_earth": by_name["包头稀土新材料公司工会"],
        "wuhai_union": by_name["乌海市焦化集团工会"],
        "baotou": by_name["包头市总工会"],
        "campaign": past_campaign(admin)["id"],  # its sessions and targets, for the figures
        "order_campaign": order_campaign(admin)["id"],
        "lecturer": me["lecturer_id"],  # 王丽华
        "other_lecturer": next(l["id"] for l in lecturers if l["id"] != me["lecturer_id"]
                               and l["organisation_id"] == me["organisation"]["id"]),
        "baotou_lecturer": next(l["id"] for l in lecturers
                                if l["organisation_id"] == by_name["包头市总工会"]),
    }


def free_days(count, lecturers, start="2050-11-01", end="2051-01-31"):
    """Days of the demo campaign on which none of `lecturers` has a session or an order yet."""
    import datetime
    admin = SERVER.login("admin")
    day = datetime.date.fromisoformat(start)
    found = []
    while len(found) < count and day <= datetime.date.fromisoformat(end):
        d = day.isoformat()
        busy = any(
            admin.get(f"{V1}/sessions?lecturer_id={l}&date_from={d}&date_to={d}").json()["total"]
            or admin.get(f"{V1}/orders?lecturer_id={l}&date_from={d}&date_to={d}").json()["total"]
            for l in lecturers)
        if not busy:
            found.append(d)
        day += datetime.timedelta(days=1)
    assert len(found) == count, found
    return found


def order_body(org=None, **extra):
    body = {"campaign_id": IDS["order_campaign"], "window_from": "2051-01-09",
            "window_to": "2051-01-20", "region_code": "150203",
            "address": "包头市昆都仑区稀土大街 8 号职工之家", "audience_group": "frontline_workers",
            "expected_audience": 120, "preferred_format": "offline", "topic": "craftsmanship",
            "priority": 4, "contact_name": "张敏", "contact_phone": "0472-5123456",
            "note": "请安排劳模宣讲"}
    if org is not None:
        body["organisation_id"] = org
    body.update(extra)
    return body


def new_order(client=None, **extra):
    client = client or SERVER.login("requester")
    r = client.post(V1 + "/orders", order_body(**extra))
    assert r.status == 201, r
    return r.json()


class FullFlow(unittest.TestCase):
    def test_order_dispatch_accept_deliver_rate_for_each_role(self):
        requester = SERVER.login("requester")
        organiser = SERVER.login("organiser")
        lecturer = SERVER.login("lecturer")
        order = new_order(requester)
        self.assertEqual(order["state"], "submitted")
        self.assertEqual(order["organisation_id"], IDS["rare_earth"])  # own organisation
        self.assertEqual(order["version"], 1)

        # The requester cannot dispatch; the organiser checks first, then dispatches.
        dispatch = {"version": 1, "lecturer_id": IDS["lecturer"], "date": "2051-01-09",
                    "start_time": "09:00", "end_time": "11:00"}
        self.assertEqual(requester.post(f"{V1}/orders/{order['id']}/dispatch", dispatch).status, 403)
        check = organiser.post(f"{V1}/orders/{order['id']}/dispatch-check", dispatch)
        self.assertEqual(check.status, 200, check)
        self.assertEqual(check.json(), {"available": True, "travel_fits": True, "problems": []})
        r = organiser.post(f"{V1}/orders/{order['id']}/dispatch", dispatch)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["state"], r.json()["version"]), ("dispatched", 2))
        self.assertEqual(r.json()["lecturer_name"], "王丽华")

        # The lecturer sees it in the list and the inbox, and accepts.
        mine = lecturer.get(V1 + "/orders?state=dispatched").json()["items"]
        self.assertIn(order["id"], [o["id"] for o in mine])
        inbox = lecturer.get(V1 + "/inbox?unread=true").json()
        self.assertTrue(any(n["order_id"] == order["id"] and n["kind"] == "dispatched"
                            for n in inbox["items"]), inbox)
        self.assertGreaterEqual(inbox["unread"], 1)
        r = lecturer.post(f"{V1}/orders/{order['id']}/accept", {"version": 2})
        self.assertEqual((r.status, r.json()["state"]), (200, "accepted"), r)
        told = organiser.get(V1 + "/inbox").json()["items"]
        self.assertTrue(any(n["order_id"] == order["id"] and n["kind"] == "accepted"
                            and "王丽华" in n["text"] for n in told), told)

        # The requester cannot record the lecture; the lecturer does, with the order's defaults.
        deliver = {"version": 3, "title": "弘扬劳模精神 争做大国工匠", "audience_offline": 135,
                   "summary": "结合稀土产业讲工匠精神"}
        self.assertEqual(requester.post(f"{V1}/orders/{order['id']}/deliver", deliver).status, 403)
        r = lecturer.post(f"{V1}/orders/{order['id']}/deliver", deliver)
        self.assertEqual((r.status, r.json()["state"]), (200, "delivered"), r)
        session = lecturer.get(f"{V1}/sessions/{r.json()['session_id']}").json()
        self.assertEqual((session["source"], session["order_id"], session["date"],
                          session["start_time"], session["lecturer_ids"],
                          session["host_organisation_id"], session["venue"]),
                         ("ordered", order["id"], "2051-01-09", "09:00", [IDS["lecturer"]],
                          IDS["rare_earth"], order["address"]))
        # The industry is the host union's own, as the session form defaults it.
        host = requester.get(f"{V1}/organisations/{IDS['rare_earth']}").json()
        self.assertTrue(host["industry"])
        self.assertEqual(session["industry"], host["industry"])
        asked = requester.get(V1 + "/inbox").json()["items"]
        self.assertTrue(any(n["order_id"] == order["id"] and n["kind"] == "delivered"
                            for n in asked), asked)

        # The ordering union rates it; the organiser may not.
        self.assertEqual(organiser.post(f"{V1}/orders/{order['id']}/rate",
                                        {"version": 4, "rating": 5}).status, 403)
        bad = requester.post(f"{V1}/orders/{order['id']}/rate", {"version": 4, "rating": 6})
        self.assertEqual(bad.status, 422, bad)
        r = requester.post(f"{V1}/orders/{order['id']}/rate",
                           {"version": 4, "rating": 5, "comment": "讲得生动，职工爱听"})
        self.assertEqual((r.status, r.json()["state"], r.json()["rating"]), (200, "rated", 5), r)

        history = requester.get(f"{V1}/orders/{order['id']}/history").json()["items"]
        self.assertEqual([(e["action"], e["from"], e["to"]) for e in history], [
            ("create", None, "submitted"), ("dispatch", "submitted", "dispatched"),
            ("accept", "dispatched", "accepted"), ("deliver", "accepted", "delivered"),
            ("rate", "delivered", "rated")])
        self.assertEqual([e["username"] for e in history],
                         ["requester", "organiser", "lecturer", "lecturer", "requester"])
        audit = SERVER.login("admin").get(f"{V1}/audit?entity=order&entity_id={order['id']}")
        self.assertEqual(audit.json()["total"], 5)
        # History and log name people as the office knows them: their display names.
        names = {a["username"]: a["display_name"] for a in
                 SERVER.login("admin").get(V1 + "/accounts?page_size=200").json()["items"]}
        self.assertEqual([e["display_name"] for e in history],
                         [names[u] for u in
                          ["requester", "organiser", "lecturer", "lecturer", "requester"]])
        self.assertTrue(all(e["display_name"] and e["display_name"] != e["username"]
                            for e in history), history)
        self.assertEqual(sorted(e["display_name"] for e in audit.json()["items"]),
                         sorted(e["display_name"] for e in history))

    def test_a_decline_goes_back_to_submitted_and_keeps_the_history(self):
        organiser = SERVER.login("organiser")
        lecturer = SERVER.login("lecturer")
        order = new_order()
        organiser.post(f"{V1}/orders/{order['id']}/dispatch",
                       {"version": 1, "lecturer_id": IDS["lecturer"], "date": "2051-01-11"})
        no_reason = lecturer.post(f"{V1}/orders/{order['id']}/decline", {"version": 2, "reason": " "})
        self.assertEqual(no_reason.status, 422, no_reason)
        self.assertEqual(no_reason.json()["errors"][0]["field"], "reason")
        r = lecturer.post(f"{V1}/orders/{order['id']}/decline",
                          {"version": 2, "reason": "当天在呼伦贝尔参加劳模座谈"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["state"], r.json()["lecturer_id"], r.json()["date"]),
                         ("submitted", None, None))
        # No longer theirs: the lecturer no longer sees the order.
        self.assertEqual(lecturer.get(f"{V1}/orders/{order['id']}").status, 404)
        history = organiser.get(f"{V1}/orders/{order['id']}/history").json()["items"]
        declined = history[-1]
        self.assertEqual((declined["action"], declined["from"], declined["to"],
                          declined["lecturer_id"], declined["date"], declined["reason"]),
                         ("decline", "dispatched", "submitted", IDS["lecturer"], "2051-01-11",
                          "当天在呼伦贝尔参加劳模座谈"))
        told = organiser.get(V1 + "/inbox").json()["items"]
        self.assertTrue(any(n["kind"] == "declined" and "呼伦贝尔" in n["text"] for n in told))
        # Dispatched again to someone else, as after any decline.
        r = organiser.post(f"{V1}/orders/{order['id']}/dispatch",
                           {"version": 3, "lecturer_id": IDS["other_lecturer"], "date": "2051-01-16"})
        self.assertEqual((r.status, r.json()["state"]), (200, "dispatched"), r)

    def test_cancelling_needs_a_reason_and_ends_the_order(self):
        requester = SERVER.login("requester")
        order = new_order(requester)
        r = requester.post(f"{V1}/orders/{order['id']}/cancel", {"version": 1})
        self.assertEqual(r.status, 422, r)
        r = requester.post(f"{V1}/orders/{order['id']}/cancel",
                           {"version": 1, "reason": "生产任务调整，改期再报"})
        self.assertEqual((r.status, r.json()["state"]), (200, "cancelled"), r)
        again = requester.post(f"{V1}/orders/{order['id']}/cancel",
                               {"version": 2, "reason": "再撤销一次"})
        self.assertEqual(again.status, 409, again)
        self.assertEqual(again.json()["current"], {"state": "cancelled", "version": 2})

    def test_a_wrong_transition_answers_409_with_the_state_and_changes_nothing(self):
        lecturer = SERVER.login("lecturer")
        organiser = SERVER.login("organiser")
        order = new_order()
        r = organiser.post(f"{V1}/orders/{order['id']}/accept", {"version": 1})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["field"], "state")
        self.assertIn("待派单", r.json()["error"]["message"])
        en = SERVER.login("organiser", lang="en").post(f"{V1}/orders/{order['id']}/deliver",
                                                        {"version": 1})
        self.assertIn("submitted", en.json()["error"]["message"])
        after = organiser.get(f"{V1}/orders/{order['id']}").json()
        self.assertEqual((after["state"], after["version"]), ("submitted", 1))
        self.assertEqual(len(organiser.get(f"{V1}/orders/{order['id']}/history").json()["items"]), 1)
        # A lecturer cannot even see an order that is not theirs.
        self.assertEqual(lecturer.post(f"{V1}/orders/{order['id']}/accept",
                                       {"version": 1}).status, 404)

    def test_edit_while_submitted_with_the_version_read(self):
        requester = SERVER.login("requester")
        order = new_order(requester)
        r = requester.patch(f"{V1}/orders/{order['id']}", {"version": 1, "expected_audience": 200})
        self.assertEqual((r.status, r.json()["expected_audience"], r.json()["version"]),
                         (200, 200, 2), r)
        stale = requester.patch(f"{V1}/orders/{order['id']}", {"version": 1, "note": "旧版本"})
        self.assertEqual(stale.status, 409, stale)
        self.assertEqual(stale.json()["current"]["version"], 2)
        bad = requester.patch(f"{V1}/orders/{order['id']}",
                              {"version": 2, "window_from": "2051-01-25", "window_to": "2051-01-20"})
        self.assertEqual(bad.status, 422, bad)


class OrderInput(unittest.TestCase):
    def test_bad_orders_get_every_field_error_and_change_nothing(self):
        requester = SERVER.login("requester")
        before = requester.get(V1 + "/orders").json()["total"]
        r = requester.post(V1 + "/orders", order_body(
            window_from="2051-08-01", window_to="2051-08-05", region_code="999999",
            audience_group="", expected_audience=0, priority=7))
        self.assertEqual(r.status, 422, r)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertTrue({"window_from", "region_code", "audience_group", "expected_audience",
                         "priority"} <= fields, fields)
        self.assertEqual(requester.post(V1 + "/orders", {"campaign_id": "1"}).status, 400)
        self.assertEqual(requester.post(V1 + "/orders", order_body(colour="red")).status, 400)
        # Ordering for a union outside one's own subtree is refused.
        far = requester.post(V1 + "/orders", order_body(org=IDS["wuhai_union"]))
        self.assertEqual(far.status, 422, far)
        self.assertEqual(requester.get(V1 + "/orders").json()["total"], before)

    def test_lists_filter_and_sort(self):
        organiser = SERVER.login("organiser")
        urgent = new_order(priority=5, window_from="2051-01-18")
        calm = new_order(priority=1, window_from="2051-01-09")
        ids = [o["id"] for o in organiser.get(
            V1 + "/orders?state=submitted&sort=priority&page_size=200").json()["items"]]
        self.assertLess(ids.index(urgent["id"]), ids.index(calm["id"]))
        ids = [o["id"] for o in organiser.get(
            V1 + "/orders?state=submitted&sort=date&page_size=200").json()["items"]]
        self.assertLess(ids.index(calm["id"]), ids.index(urgent["id"]))
        narrow = organiser.get(V1 + "/orders?date_from=2051-01-21&date_to=2051-01-31").json()
        self.assertNotIn(urgent["id"], [o["id"] for o in narrow["items"]])
        self.assertEqual(organiser.get(V1 + "/orders?state=nonsense").status, 400)
        self.assertEqual(organiser.get(V1 + "/orders?sort=colour").status, 400)
        region = organiser.get(V1 + "/orders?region_code=150300&page_size=200").json()["items"]
        self.assertTrue(region)
        self.assertTrue(all(o["region_code"].startswith("1503") for o in region))
        baotou = SERVER.login("baotou").get(V1 + "/orders?page_size=200").json()["items"]
        self.assertIn(urgent["id"], [o["id"] for o in baotou])


class DispatchChecks(unittest.TestCase):
    def test_an_unavailable_lecturer_is_refused_even_with_an_override(self):
        organiser = SERVER.login("organiser")
        admin = SERVER.login("admin")
        me = admin.get(f"{V1}/lecturers/{IDS['lecturer']}").json()
        away = {"from": "2050-12-01", "to": "2050-12-05", "reason": "外出学习"}
        if away not in me["unavailable"]:
            r = admin.patch(f"{V1}/lecturers/{IDS['lecturer']}",
                            {"unavailable": me["unavailable"] + [away]})
            self.assertEqual(r.status, 200, r)
        order = new_order(window_from="2050-12-01", window_to="2050-12-10")
        body = {"version": 1, "lecturer_id": IDS["lecturer"], "date": "2050-12-03",
                "override_travel": True}
        check = organiser.post(f"{V1}/orders/{order['id']}/dispatch-check", body).json()
        self.assertFalse(check["available"])
        r = organiser.post(f"{V1}/orders/{order['id']}/dispatch", body)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["field"], "date")
        self.assertIn("王丽华", r.json()["error"]["message"])
        self.assertEqual(organiser.get(f"{V1}/orders/{order['id']}").json()["state"], "submitted")

    def test_a_date_outside_the_window_is_a_field_error(self):
        organiser = SERVER.login("organiser")
        order = new_order()
        r = organiser.post(f"{V1}/orders/{order['id']}/dispatch",
                           {"version": 1, "lecturer_id": IDS["lecturer"], "date": "2051-01-25"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["errors"][0]["field"], "date")

    def test_travel_that_cannot_fit_warns_and_an_override_is_recorded(self):
        organiser = SERVER.login("organiser")
        # Booked in Baotou 09:00–11:00, then asked to be in Hulunbuir (over 1,000 km) at 14:00.
        # (The demo has no lecture of this lecturer on that day.)
        first = new_order()
        r = organiser.post(f"{V1}/orders/{first['id']}/dispatch",
                           {"version": 1, "lecturer_id": IDS["other_lecturer"], "date": "2051-01-18",
                            "start_time": "09:00", "end_time": "11:00"})
        self.assertEqual(r.status, 200, r)
        far = new_order(region_code="150700", address="海拉尔区职工活动中心")
        body = {"version": 1, "lecturer_id": IDS["other_lecturer"], "date": "2051-01-18",
                "start_time": "14:00", "end_time": "16:00"}
        check = organiser.post(f"{V1}/orders/{far['id']}/dispatch-check", body).json()
        self.assertEqual((check["available"], check["travel_fits"]), (True, False), check)
        self.assertIn(f"需求单 {first['id']}", check["problems"][0])
        r = organiser.post(f"{V1}/orders/{far['id']}/dispatch", body)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["field"], "override_travel")
        r = organiser.post(f"{V1}/orders/{far['id']}/dispatch", dict(body, override_travel=True))
        self.assertEqual((r.status, r.json()["state"]), (200, "dispatched"), r)
        last = organiser.get(f"{V1}/orders/{far['id']}/history").json()["items"][-1]
        self.assertIn("越过车程提醒", last["reason"])

    def test_two_parallel_dispatches_exactly_one_wins(self):
        # A day each, on which neither lecturer has anything else (in the demo or other tests),
        # so that only the version can refuse the second dispatch.
        lecturers = [IDS["lecturer"], IDS["other_lecturer"]]
        for day in free_days(5, lecturers, start="2050-11-07"):
            order = new_order(window_from=day, window_to=day)
            clients = [SERVER.login("organiser"), SERVER.login("admin")]
            results = [None, None]
            barrier = threading.Barrier(2)

            def go(i):
                barrier.wait()
                results[i] = clients[i].post(
                    f"{V1}/orders/{order['id']}/dispatch",
                    {"version": 1, "lecturer_id": lecturers[i], "date": day})

            threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            statuses = sorted(r.status for r in results)
            self.assertEqual(statuses, [200, 409], results)
            winner = next(r for r in results if r.status == 200).json()
            loser = next(r for r in results if r.status == 409).json()
            self.assertEqual(loser["error"]["field"], "version", loser)
            self.assertEqual(loser["current"], {"state": "dispatched", "version": 2})
            stored = clients[0].get(f"{V1}/orders/{order['id']}").json()
            self.assertEqual((stored["version"], stored["lecturer_id"]),
                             (2, winner["lecturer_id"]))
            history = clients[0].get(f"{V1}/orders/{order['id']}/history").json()["items"]
            self.assertEqual([e["action"] for e in history], ["create", "dispatch"])


class Inbox(unittest.TestCase):
    def test_mark_read_one_or_all(self):
        organiser = SERVER.login("organiser")
        lecturer = SERVER.login("lecturer")
        for day in ("2051-01-16", "2051-01-17"):
            o = new_order()
            organiser.post(f"{V1}/orders/{o['id']}/dispatch",
                           {"version": 1, "lecturer_id": IDS["lecturer"], "date": day})
        inbox = lecturer.get(V1 + "/inbox?unread=true").json()
        self.assertGreaterEqual(inbox["unread"], 2)
        one = inbox["items"][0]["id"]
        r = lecturer.post(V1 + "/inbox/read", {"ids": [one]})
        self.assertEqual((r.status, r.json()["marked"], r.json()["unread"]),
                         (200, 1, inbox["unread"] - 1))
        r = lecturer.post(V1 + "/inbox/read", {})
        self.assertEqual(r.json()["unread"], 0)
        self.assertEqual(lecturer.post(V1 + "/inbox/read", {"ids": "all"}).status, 400)
        # Someone else's notification cannot be marked: nothing happens.
        other = organiser.get(V1 + "/inbox").json()
        r = lecturer.post(V1 + "/inbox/read", {"ids": [n["id"] for n in other["items"]]})
        self.assertEqual(r.json()["marked"], 0)
        self.assertEqual(organiser.get(V1 + "/inbox").json()["unread"], other["unread"])

    def test_reminders_for_orders_waiting_too_long(self):
        # A server whose thresholds have passed at once: every order waits "too long".
        server = Server(demo=True, serve_args=["--remind-after-days", "0",
                                               "--escalate-after-hours", "0",
                                               "--reminder-interval", "1"])
        try:
            requester = server.login("requester")
            organiser = server.login("organiser")
            me = server.login("lecturer").get(V1 + "/auth/me").json()
            campaign = order_campaign(server.login("admin"))["id"]
            waiting = requester.post(V1 + "/orders", order_body(campaign_id=campaign)).json()
            unanswered = requester.post(V1 + "/orders", order_body(campaign_id=campaign)).json()
            organiser.post(f"{V1}/orders/{unanswered['id']}/dispatch",
                           {"version": 1, "lecturer_id": me["lecturer_id"], "date": "2051-01-15"})
            deadline = time.time() + 20
            kinds = {}
            while time.time() < deadline:
                items = organiser.get(V1 + "/inbox?page_size=200").json()["items"]
                kinds = {(n["kind"], n["order_id"]) for n in items}
                if {("not_dispatched", waiting["id"]), ("not_accepted", unanswered["id"])} <= kinds:
                    break
                time.sleep(0.5)
            self.assertIn(("not_dispatched", waiting["id"]), kinds)
            self.assertIn(("not_accepted", unanswered["id"]), kinds)
            time.sleep(2.5)  # more rounds pass: each reminder still goes out once
            items = organiser.get(V1 + "/inbox?page_size=200").json()["items"]
            self.assertEqual(sum(1 for n in items if n["kind"] == "not_dispatched"
                                 and n["order_id"] == waiting["id"]), 1)

            # The inbox stays true: once the orders move on, the reminders are done and leave
            # the unread count, read or not.
            before = organiser.get(V1 + "/inbox").json()["unread"]
            organiser.post(f"{V1}/orders/{waiting['id']}/dispatch",
                           {"version": 1, "lecturer_id": me["lecturer_id"], "date": "2051-01-16"})
            lecturer = server.login("lecturer")
            accept = lecturer.post(f"{V1}/orders/{unanswered['id']}/accept", {"version": 2})
            self.assertEqual(accept.status, 200, accept)
            inbox = organiser.get(V1 + "/inbox?page_size=200").json()
            done = {(n["kind"], n["order_id"]): n for n in inbox["items"]}
            self.assertTrue(done[("not_dispatched", waiting["id"])]["done"])
            self.assertTrue(done[("not_accepted", unanswered["id"])]["done"])
            self.assertTrue(done[("accepted", unanswered["id"])]["read"] is False)  # news
            self.assertFalse(done[("accepted", unanswered["id"])]["asks_to_act"])
            # The count is what is neither read nor done (more reminders may come meanwhile:
            # the dispatched order now waits for an answer, and this server waits 0 hours).
            self.assertEqual(inbox["unread"], sum(1 for n in inbox["items"]
                                                  if not n["read"] and not n["done"]))
            self.assertLess(inbox["unread"], before + 1)
            unread = organiser.get(V1 + "/inbox?unread=true&page_size=200").json()["items"]
            self.assertFalse([n for n in unread if n["done"]])
        finally:
            server.stop()

    def test_a_request_to_accept_is_done_when_the_order_moves_on(self):
        organiser = SERVER.login("organiser")
        lecturer = SERVER.login("lecturer")
        lecturer.post(V1 + "/inbox/read", {})
        orders = [new_order() for _ in range(3)]
        days = free_days(3, [IDS["lecturer"]], start="2051-01-09", end="2051-01-20")
        for o, day in zip(orders, days):
            r = organiser.post(f"{V1}/orders/{o['id']}/dispatch",
                               {"version": 1, "lecturer_id": IDS["lecturer"], "date": day})
            self.assertEqual(r.status, 200, r)
        self.assertEqual(lecturer.get(V1 + "/inbox").json()["unread"], 3)
        # Accepted without opening the inbox; declined; cancelled by the organiser.
        self.assertEqual(lecturer.post(f"{V1}/orders/{orders[0]['id']}/accept",
                                       {"version": 2}).status, 200)
        self.assertEqual(lecturer.post(f"{V1}/orders/{orders[1]['id']}/decline",
                                       {"version": 2, "reason": "当天另有安排"}).status, 200)
        self.assertEqual(organiser.post(f"{V1}/orders/{orders[2]['id']}/cancel",
                                        {"version": 2, "reason": "活动取消"}).status, 200)
        inbox = lecturer.get(V1 + "/inbox?page_size=50").json()
        mine = [n for n in inbox["items"] if n["order_id"] in {o["id"] for o in orders}]
        asked = [n for n in mine if n["kind"] == "dispatched"]
        self.assertEqual(len(asked), 3)
        self.assertTrue(all(n["done"] and not n["read"] for n in asked), asked)
        # Only the cancellation is news the lecturer has still to read.
        self.assertEqual(inbox["unread"], 1, mine)
        self.assertEqual([n["kind"] for n in lecturer.get(
            V1 + "/inbox?unread=true").json()["items"]], ["cancelled"])


class DispatchPlans(unittest.TestCase):
    def wait_for(self, client, plan_id):
        deadline = time.time() + 60
        while time.time() < deadline:
            plan = client.get(f"{V1}/dispatch-plans/{plan_id}").json()
            if plan["state"] != "running":
                return plan
            time.sleep(0.3)
        self.fail("the plan did not finish")

    def test_a_plan_for_the_open_orders_applies_through_the_ordinary_dispatch(self):
        organiser = SERVER.login("organiser")
        self.assertEqual(SERVER.login("requester").post(
            f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans", {"time_limit_seconds": 1}).status, 403)
        bad = organiser.post(f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans",
                             {"time_limit_seconds": 600})
        self.assertEqual(bad.status, 422, bad)
        # An order in a region with no place on the map (北京市: no seat's coordinates) cannot
        # be planned: the plan says so rather than dropping it.
        nowhere = new_order(organiser, org=IDS["rare_earth"], region_code="110000")
        r = organiser.post(f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans",
                           {"time_limit_seconds": 2, "seed": 7})
        self.assertEqual(r.status, 202, r)
        self.assertTrue(r.header("Location").endswith(f"/dispatch-plans/{r.json()['id']}"))
        open_orders = organiser.get(f"{V1}/orders?state=submitted&campaign_id={IDS['order_campaign']}")
        self.assertEqual(r.json()["orders"] + 1, open_orders.json()["total"])
        plan = self.wait_for(organiser, r.json()["id"])
        self.assertEqual(plan["state"], "done", plan)
        proposed = plan["plan"]["assignments"]
        self.assertTrue(proposed, plan["plan"]["unassigned"][:3])
        self.assertIn((str(nowhere["id"]), "no_place"),
                      [(u["order"], u["reason_code"]) for u in plan["plan"]["unassigned"]])
        self.assertTrue(all(u["reason_code"] in ("no_place", "no_qualified_lecturer",
                                                 "none_available", "outranked", "unreachable")
                            for u in plan["plan"]["unassigned"]))
        visits = {v["order"]: (route["lecturer"], route["date"], v) for route in plan["plan"]["routes"]
                  for v in route["visits"]}
        self.assertTrue(all("why" in v["reason"] and v["reason"]["home_distance_rank"] >= 1
                            for _, _, v in visits.values()))
        starts = [v["start"] for _, _, v in visits.values()]
        self.assertGreaterEqual(sum(int(t[-1]) % 5 == 0 for t in starts) * 10, len(starts) * 9,
                                starts)  # on the five minutes wherever the day allows
        chosen = proposed[:5]
        body = {"assignments": [
            {"order_id": int(a["order"]), "lecturer_id": int(a["lecturer"]), "date": a["date"],
             "start_time": visits[a["order"]][2]["start"], "end_time": visits[a["order"]][2]["end"]}
            for a in chosen]}
        applied = organiser.post(f"{V1}/dispatch-plans/{plan['id']}/apply", body)
        self.assertEqual(applied.status, 200, applied)
        for item, a in zip(applied.json()["items"], chosen):
            order = organiser.get(f"{V1}/orders/{item['order_id']}").json()
            if item["dispatched"]:
                self.assertEqual((order["state"], order["lecturer_id"], order["date"]),
                                 ("dispatched", int(a["lecturer"]), a["date"]))
                last = organiser.get(f"{V1}/orders/{item['order_id']}/history").json()["items"][-1]
                self.assertIn(f"智能派单方案 {plan['id']}", last["reason"])
            else:  # refused exactly as dispatching by hand would be
                self.assertIn(item["status"], (404, 409, 422), item)
                self.assertEqual(order["state"], "submitted")
        self.assertGreater(applied.json()["dispatched"], 0, applied)
        # Applying the same assignments again: a plan never re-dispatches, every one is refused.
        again = organiser.post(f"{V1}/dispatch-plans/{plan['id']}/apply", body).json()
        self.assertEqual(again["dispatched"], 0, again)
        self.assertTrue(all(i["status"] == 409 for i in again["items"]), again)

    def test_a_league_organiser_plans_and_applies_only_within_its_scope(self):
        baotou = SERVER.login("baotou")
        # An open Baotou order on a topic Baotou's own lecturer gives, so that the plan has one.
        topic = baotou.get(f"{V1}/lecturers/{IDS['baotou_lecturer']}").json()["topics"][0]
        own = new_order(baotou, org=IDS["rare_earth"], topic=topic)
        r = baotou.post(f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans", {"time_limit_seconds": 1})
        self.assertEqual(r.status, 202, r)
        plan = self.wait_for(baotou, r.json()["id"])
        self.assertEqual(plan["state"], "done", plan)
        mine = {o["id"] for o in baotou.get(V1 + "/orders?page_size=200").json()["items"]}
        planned = [int(a["order"]) for a in plan["plan"]["assignments"]]
        self.assertTrue(planned, plan["plan"]["unassigned"][:3])
        self.assertIn(own["id"], planned + [int(u["order"]) for u in plan["plan"]["unassigned"]])
        for order_id in planned:
            self.assertIn(order_id, mine)
        # The province's plan is not theirs to see; an order beyond its scope is refused.
        province = SERVER.login("organiser").post(
            f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans", {"time_limit_seconds": 1})
        self.assertEqual(province.status, 202, province)
        self.wait_for(SERVER.login("organiser"), province.json()["id"])
        self.assertEqual(baotou.get(f"{V1}/dispatch-plans/{province.json()['id']}").status, 404)
        far = SERVER.login("admin").post(V1 + "/orders", order_body(org=IDS["wuhai_union"],
                                                                    region_code="150302"))
        self.assertEqual(far.status, 201, far)
        applied = baotou.post(f"{V1}/dispatch-plans/{plan['id']}/apply", {"assignments": [
            {"order_id": far.json()["id"], "lecturer_id": IDS["baotou_lecturer"],
             "date": "2051-01-12"}]}).json()
        self.assertEqual((applied["items"][0]["status"], applied["dispatched"]), (404, 0))
        self.assertEqual(SERVER.login("admin").get(f"{V1}/orders/{far.json()['id']}").json()["state"],
                         "submitted")


def run_sql(server, statement):
    """Runs one SQL statement straight on the server's database, as an operator would: to put
    the database in a state the API cannot (a failing write, a plan from a process long dead)."""
    if os.environ.get("XJ_API_ENGINE") == "postgresql":
        import subprocess
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server.db, "-c", statement],
                       check=True, stdout=subprocess.DEVNULL)
        return
    import sqlite3
    with sqlite3.connect(server.db, timeout=30) as db:
        db.executescript(statement)


class PlannerFailures(unittest.TestCase):
    """What becomes of a dispatch plan when its computation goes wrong: the process survives,
    the plan is failed with a message, and nothing stays `running` for ever."""

    def setUp(self):
        new_order()  # an open order for the plans to work on

    def wait_for(self, client, plan_id):
        deadline = time.time() + 60
        while time.time() < deadline:
            self.assertIsNone(SERVER.proc.poll(), "the server died: " + SERVER.server_log())
            plan = client.get(f"{V1}/dispatch-plans/{plan_id}").json()
            if plan["state"] != "running":
                return plan
            time.sleep(0.3)
        self.fail("the plan did not finish")

    def test_a_database_error_on_the_planning_thread_fails_the_plan_not_the_process(self):
        # Storing a finished plan fails (as a full disk or a lost connection would); storing
        # it as failed still works.
        if os.environ.get("XJ_API_ENGINE") == "postgresql":
            run_sql(SERVER, "CREATE FUNCTION xj_refuse_done() RETURNS trigger LANGUAGE plpgsql AS "
                            "$$ BEGIN RAISE EXCEPTION 'injected: disk full'; END $$; "
                            "CREATE TRIGGER xj_refuse_done BEFORE UPDATE ON dispatch_plans "
                            "FOR EACH ROW WHEN (NEW.state = 'done') "
                            "EXECUTE FUNCTION xj_refuse_done()")
            drop = "DROP TRIGGER xj_refuse_done ON dispatch_plans; DROP FUNCTION xj_refuse_done()"
        else:
            run_sql(SERVER, "CREATE TRIGGER xj_refuse_done BEFORE UPDATE ON dispatch_plans "
                            "WHEN NEW.state = 'done' BEGIN "
                            "SELECT RAISE(ABORT, 'injected: disk full'); END;")
            drop = "DROP TRIGGER xj_refuse_done"
        organiser = SERVER.login("organiser")
        try:
            r = organiser.post(f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans",
                               {"time_limit_seconds": 1})
            self.assertEqual(r.status, 202, r)
            plan = self.wait_for(organiser, r.json()["id"])
        finally:
            if SERVER.proc.poll() is not None:
                SERVER.restart()  # for the other tests
            run_sql(SERVER, drop)
        self.assertEqual(plan["state"], "failed", plan)
        self.assertIn("数据库", plan["error"])
        self.assertIn("database", plan["error"])
        self.assertIn(f"dispatch plan {plan['id']}", SERVER.server_log())
        self.assertEqual(organiser.get(V1 + "/health").status, 200)
        # The planning thread is still there: the next plan is computed.
        again = organiser.post(f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans",
                               {"time_limit_seconds": 1})
        self.assertEqual(again.status, 202, again)
        self.assertEqual(self.wait_for(organiser, again.json()["id"])["state"], "done")

    def test_a_plan_left_running_by_a_dead_process_is_failed_after_a_restart(self):
        organiser = SERVER.login("organiser")
        r = organiser.post(f"{V1}/campaigns/{IDS['order_campaign']}/dispatch-plans",
                           {"time_limit_seconds": 60})
        self.assertEqual(r.status, 202, r)
        plan_id = r.json()["id"]
        SERVER.proc.kill()  # dies while computing it
        SERVER.proc.wait()
        # As if the server had stayed down for an hour: the plan's time limit is long past.
        run_sql(SERVER, f"UPDATE dispatch_plans SET created_at = created_at - 3600 "
                        f"WHERE id = {plan_id}")
        SERVER.restart()
        plan = SERVER.login("organiser").get(f"{V1}/dispatch-plans/{plan_id}").json()
        self.assertEqual(plan["state"], "failed", plan)
        self.assertIn("中断", plan["error"])
        self.assertIn("interrupted", plan["error"])
        self.assertIsNotNone(plan.get("finished_at"), plan)


class Agenda(unittest.TestCase):
    def test_the_agenda_as_json_and_as_a_private_calendar_feed(self):
        lecturer = SERVER.login("lecturer")
        organiser = SERVER.login("organiser")
        # The private feed reaches two years ahead: this order is in the demo's running campaign.
        today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
        running = next(c for c in organiser.get(V1 + "/campaigns?status=current").json()["items"]
                       if "中国梦·劳动美" in c["title"])
        day = free_days(1, [IDS["lecturer"]], start=(today + datetime.timedelta(days=20)).isoformat(),
                        end=running["end_date"])[0]
        order = new_order(campaign_id=running["id"], window_from=day, window_to=day)
        organiser.post(f"{V1}/orders/{order['id']}/dispatch",
                       {"version": 1, "lecturer_id": IDS["lecturer"], "date": day,
                        "start_time": "14:00", "end_time": "15:30"})
        r = lecturer.get(f"{V1}/lecturers/{IDS['lecturer']}/agenda?from={day}&to={day}")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        self.assertIn(("order", order["id"], day, "14:00"),
                      [(i["kind"], i["id"], i["date"], i["start_time"]) for i in items])
        # The lectures given are on it too, in date order.
        items = lecturer.get(
            f"{V1}/lecturers/{IDS['lecturer']}/agenda?from=2022-11-01&to=2023-01-31").json()["items"]
        self.assertTrue(any(i["kind"] == "session" for i in items))
        self.assertEqual([i["date"] for i in items], sorted(i["date"] for i in items))
        # Someone else's agenda: not found for a lecturer, a league organiser out of scope.
        self.assertEqual(lecturer.get(f"{V1}/lecturers/{IDS['other_lecturer']}/agenda").status, 404)
        self.assertEqual(SERVER.login("baotou").get(
            f"{V1}/lecturers/{IDS['lecturer']}/agenda").status, 404)
        self.assertEqual(lecturer.get(
            f"{V1}/lecturers/{IDS['lecturer']}/agenda?from=2023-02-01&to=2023-01-01").status, 422)

        link = lecturer.post(f"{V1}/lecturers/{IDS['lecturer']}/calendar-link", {})
        self.assertEqual(link.status, 200, link)
        url = link.json()["url"]
        self.assertGreaterEqual(len(link.json()["token"]), 32)  # 128 bits at least, in hex
        self.assertEqual(lecturer.post(f"{V1}/lecturers/{IDS['lecturer']}/calendar-link",
                                       {}).json()["url"], url)  # the same link until renewed
        feed = SERVER.client().get(url)  # no login: the link is the key
        self.assertEqual(feed.status, 200, feed)
        self.assertTrue(feed.header("Content-Type").startswith("text/calendar"))
        text = feed.body.decode("utf-8")
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertIn(f"UID:order-{order['id']}@xuanjiang", text)
        self.assertIn("DTSTART;TZID=Asia/Shanghai:" + day.replace("-", "") + "T140000", text)
        self.assertTrue(all(len(line.encode()) <= 75 for line in text.split("\r\n")))
        self.assertTrue(url.startswith("http://127.0.0.1:"), url)  # whole, to paste into an app
        self.read_back_with_a_real_parser(feed.body, order, day)
        renewed = lecturer.post(f"{V1}/lecturers/{IDS['lecturer']}/calendar-link",
                                {"renew": True}).json()["url"]
        self.assertNotEqual(renewed, url)
        self.assertEqual(SERVER.client().get(url).status, 404)  # the old link is revoked
        self.assertEqual(SERVER.client().get(V1 + "/calendar/" + "0" * 64 + ".ics").status, 404)
        self.assertEqual(SERVER.login("requester").post(  # cannot see the lecturer at all
            f"{V1}/lecturers/{IDS['lecturer']}/calendar-link", {}).status, 404)


    def read_back_with_a_real_parser(self, body, order, day):
        """Debian's python3-icalendar reads the feed as a calendar app would: the dispatched
        order's event says where (venue, host union, league and county) and what in words, with
        no internal id, and rings the evening before at 20:00 Beijing time."""
        calendar = icalendar.Calendar.from_ical(body)
        events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        event = events[f"order-{order['id']}@xuanjiang"]
        start = event.decoded("DTSTART")
        self.assertEqual((start.date().isoformat(), start.hour, start.minute), (day, 14, 0))
        self.assertEqual(start.utcoffset(), datetime.timedelta(hours=8))
        self.assertEqual(str(event["SUMMARY"]), f"宣讲（{order['organisation_name']}）")
        location = str(event["LOCATION"])
        self.assertIn(order["address"], location)
        self.assertIn(order["organisation_name"], location)
        self.assertIn("包头市", location)  # the league, then the county
        description = str(event["DESCRIPTION"])
        self.assertIn("待接单", description)
        self.assertNotIn(str(order["id"]), description)
        self.assertNotRegex(description, r"[a-z_]{4,}")  # no codes, only words
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        self.assertEqual(len(alarms), 1, event.to_ical())
        trigger = alarms[0].decoded("TRIGGER")
        evening = datetime.datetime.fromisoformat(day) - datetime.timedelta(days=1)
        self.assertEqual(trigger.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
                         .replace(tzinfo=None), evening.replace(hour=20))
        sessions = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("session-")]
        self.assertTrue(sessions)
        self.assertFalse([c for e in sessions for c in e.subcomponents if c.name == "VALARM"])


class OwnAvailability(unittest.TestCase):
    def test_a_lecturer_keeps_their_own_availability_and_nothing_else(self):
        lecturer = SERVER.login("lecturer")
        me = lecturer.get(f"{V1}/lecturers/{IDS['lecturer']}").json()
        away = {"from": "2051-01-23", "to": "2051-01-24", "reason": "外出学习"}
        r = lecturer.patch(f"{V1}/lecturers/{IDS['lecturer']}",
                           {"unavailable": me["unavailable"] + [away]})
        self.assertEqual(r.status, 200, r)
        self.assertIn(away, r.json()["unavailable"])
        # The organiser's dispatch now meets it like any other unavailability.
        order = new_order(window_from="2051-01-20", window_to="2051-01-27")
        refused = SERVER.login("organiser").post(
            f"{V1}/orders/{order['id']}/dispatch",
            {"version": order["version"], "lecturer_id": IDS["lecturer"], "date": "2051-01-23"})
        self.assertEqual((refused.status, refused.json()["error"]["field"]), (409, "date"), refused)
        # Anything beyond availability, or another lecturer's, stays the organisers'.
        bio = lecturer.patch(f"{V1}/lecturers/{IDS['lecturer']}",
                             {"bio": "自己改简介", "unavailable": me["unavailable"]})
        self.assertEqual(bio.status, 403, bio)
        self.assertIn("不可用日期", bio.json()["error"]["message"])
        other = lecturer.patch(f"{V1}/lecturers/{IDS['other_lecturer']}", {"unavailable": []})
        self.assertEqual(other.status, 403, other)
        bad = lecturer.patch(f"{V1}/lecturers/{IDS['lecturer']}",
                             {"unavailable": [{"from": "2023-02-02", "to": "2023-02-01"}]})
        self.assertEqual(bad.status, 422, bad)
        after = lecturer.get(f"{V1}/lecturers/{IDS['lecturer']}").json()
        self.assertEqual((after["bio"], after["unavailable"]),
                         (me["bio"], me["unavailable"] + [away]))


class QrFeedback(unittest.TestCase):
    def session_with_link(self, date=None):
        organiser = SERVER.login("organiser")
        import datetime
        day = date or datetime.date.today().isoformat()
        # A session nobody ordered, on `day` (the demo campaign is over: no campaign).
        body = {"title": "劳模工匠进企业", "date": day, "venue": "职工之家",
                "host_organisation_id": IDS["rare_earth"], "region_code": "150203",
                "audience_group": "frontline_workers", "format": "offline",
                "audience_offline": 60, "lecturer_ids": [IDS["lecturer"]]}
        s = organiser.post(V1 + "/sessions", body)
        self.assertEqual(s.status, 201, s)
        link = organiser.post(f"{V1}/sessions/{s.json()['id']}/feedback-link", {})
        self.assertEqual(link.status, 200, link)
        return organiser, s.json()["id"], link.json()["token"]

    def test_the_audience_rates_once_per_browser_and_signs_in(self):
        organiser, session_id, token = self.session_with_link()
        self.assertGreaterEqual(len(token), 32)
        phone = SERVER.client()  # no login
        form = phone.get(f"{V1}/feedback/{token}")
        self.assertEqual(form.status, 200, form)
        self.assertEqual(form.json()["title"], "劳模工匠进企业")
        self.assertNotIn("host_organisation_id", form.json())  # only what the form needs
        self.assertIn("frontline_workers", [g["code"] for g in form.json()["audience_groups"]])
        bad = phone.post(f"{V1}/feedback/{token}", {"rating": 9})
        self.assertEqual(bad.status, 422, bad)
        r = phone.post(f"{V1}/feedback/{token}", {"rating": 5, "comment": "讲得真好",
                                                  "audience_group": "frontline_workers"})
        self.assertEqual(r.status, 204, r)
        cookie = r.header("Set-Cookie")
        self.assertIn("xj_browser=", cookie)
        phone.cookie = cookie.split(";")[0]
        again = phone.post(f"{V1}/feedback/{token}", {"rating": 1})
        self.assertEqual(again.status, 409, again)
        other = SERVER.client()
        self.assertEqual(other.post(f"{V1}/feedback/{token}", {"rating": 4}).status, 204)
        self.assertEqual(phone.post(f"{V1}/feedback/{token}/sign-in").status, 204)
        self.assertEqual(phone.post(f"{V1}/feedback/{token}/sign-in").status, 409)
        report = organiser.get(f"{V1}/sessions/{session_id}/feedback").json()
        self.assertEqual((report["answers"], report["average"], report["by_rating"],
                          report["signed_in"]), (2, 4.5, [0, 0, 0, 1, 1], 1))
        self.assertEqual(report["items"][-1]["comment"], "讲得真好")

    def test_a_guessed_link_is_404_and_a_closed_one_410(self):
        anyone = SERVER.client()
        self.assertEqual(anyone.get(f"{V1}/feedback/" + "a" * 64).status, 404)
        self.assertEqual(anyone.get(f"{V1}/feedback/nonsense").status, 404)
        self.assertEqual(anyone.post(f"{V1}/feedback/" + "b" * 64, {"rating": 5}).status, 404)
        _, _, token = self.session_with_link(date="2023-01-05")  # long past: closed
        closed = anyone.get(f"{V1}/feedback/{token}")
        self.assertEqual(closed.status, 410, closed)
        self.assertEqual(anyone.post(f"{V1}/feedback/{token}", {"rating": 5}).status, 410)

    def test_the_form_says_its_state_and_an_organiser_reopens_it_once(self):
        today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
        organiser, open_id, _ = self.session_with_link(today.isoformat())  # Beijing's today
        state = organiser.get(f"{V1}/sessions/{open_id}/feedback-link").json()
        self.assertEqual((state["open"], state["closes_on"], state["may_reopen"], state["reopened"]),
                         (True, (today + datetime.timedelta(days=14)).isoformat(), False, None))
        # Still open: nothing to reopen.
        r = organiser.post(f"{V1}/sessions/{open_id}/feedback-link/reopen", {"reason": "补评"})
        self.assertEqual(r.status, 409, r)

        _, closed_id, token = self.session_with_link(date="2023-01-05")
        state = organiser.get(f"{V1}/sessions/{closed_id}/feedback-link").json()
        self.assertEqual((state["open"], state["closes_on"], state["may_reopen"]),
                         (False, "2023-01-19", True))
        qr = organiser.get(f"{V1}/sessions/{closed_id}/feedback-link/qr?format=svg")
        self.assertEqual(qr.status, 410, qr)  # no code for a closed form
        self.assertIn("2023-01-19", qr.json()["error"]["message"])
        # A lecturer (who may edit their sessions) may not reopen; a reason is required; a
        # league organiser beyond the host's subtree does not see the session.
        lecturer = SERVER.login("lecturer")
        self.assertEqual(lecturer.get(f"{V1}/sessions/{closed_id}/feedback-link").json()["may_reopen"],
                         False)
        self.assertEqual(lecturer.post(f"{V1}/sessions/{closed_id}/feedback-link/reopen",
                                       {"reason": "补评"}).status, 403)
        r = organiser.post(f"{V1}/sessions/{closed_id}/feedback-link/reopen", {"reason": "  "})
        self.assertEqual((r.status, r.json()["error"]["field"]), (422, "reason"))
        self.assertEqual(organiser.post(f"{V1}/sessions/{closed_id}/feedback-link/reopen",
                                        {}).status, 422)
        self.assertEqual(SERVER.client().get(f"{V1}/feedback/{token}").status, 410)
        r = organiser.post(f"{V1}/sessions/{closed_id}/feedback-link/reopen",
                           {"reason": "纸质签到表刚收回，请听众补评"})
        self.assertEqual(r.status, 200, r)
        state = r.json()
        self.assertEqual((state["open"], state["closes_on"], state["may_reopen"]),
                         (True, (today + datetime.timedelta(days=7)).isoformat(), False))
        self.assertEqual(state["reopened"]["reason"], "纸质签到表刚收回，请听众补评")
        self.assertEqual(state["reopened"]["by"], SERVER.login("organiser").get(
            V1 + "/auth/me").json()["display_name"])
        self.assertEqual(SERVER.client().get(f"{V1}/feedback/{token}").status, 200)
        self.assertEqual(organiser.get(
            f"{V1}/sessions/{closed_id}/feedback-link/qr?format=svg").status, 200)
        # Once only.
        again = organiser.post(f"{V1}/sessions/{closed_id}/feedback-link/reopen", {"reason": "再补"})
        self.assertEqual(again.status, 409, again)
        audit = SERVER.login("admin").get(V1 + "/audit?entity=feedback&page_size=200").json()
        self.assertIn(("reopen", closed_id), [(a["action"], a["entity_id"]) for a in audit["items"]])

    def test_the_qr_code_as_svg_and_png(self):
        organiser, session_id, token = self.session_with_link()
        svg = organiser.get(f"{V1}/sessions/{session_id}/feedback-link/qr?format=svg")
        self.assertEqual(svg.status, 200, svg)
        self.assertEqual(svg.header("Content-Type"), "image/svg+xml")
        self.assertIn(b"<svg", svg.body)
        png = organiser.get(f"{V1}/sessions/{session_id}/feedback-link/qr?format=png")
        self.assertEqual(png.header("Content-Type"), "image/png")
        self.assertEqual(png.body[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(organiser.get(
            f"{V1}/sessions/{session_id}/feedback-link/qr?format=gif").status, 400)
        self.assertEqual(SERVER.login("viewer").get(
            f"{V1}/sessions/{session_id}/feedback-link/qr").status, 403)
        self.assertEqual(SERVER.login("requester").post(
            f"{V1}/sessions/{session_id}/feedback-link", {}).status, 403)

    def test_staff_record_answers_and_pick_quotes(self):
        organiser, session_id, _ = self.session_with_link()
        path = f"{V1}/sessions/{session_id}/feedback"
        first = organiser.post(path, {"rating": 5, "comment": "  工匠精神讲得透彻 ",
                                      "audience_group": "frontline_workers"})
        self.assertEqual(first.status, 201, first)
        entry = first.json()
        self.assertEqual((entry["channel"], entry["comment"], entry["quote"]),
                         ("staff", "工匠精神讲得透彻", False))
        # Staff may enter many answers (paper forms): no one-per-browser limit.
        self.assertEqual(organiser.post(path, {"rating": 3}).status, 201)
        bad = organiser.post(path, {"rating": 0, "audience_group": "nobody", "comment": "长" * 501})
        self.assertEqual(bad.status, 422, bad)
        self.assertEqual({e["field"] for e in bad.json()["errors"]},
                         {"rating", "audience_group", "comment"})
        self.assertEqual(organiser.post(path, {"rating": 4, "extra": 1}).status, 400)
        self.assertEqual(SERVER.login("viewer").post(path, {"rating": 4}).status, 403)
        report = organiser.get(path).json()
        self.assertEqual((report["answers"], report["by_rating"]), (2, [0, 0, 1, 0, 1]))

        quote = organiser.patch(f"{path}/{entry['id']}", {"quote": True})
        self.assertEqual(quote.status, 200, quote)
        self.assertTrue(quote.json()["quote"])
        quoted = [f for f in organiser.get(path).json()["items"] if f["quote"]]
        self.assertEqual([f["id"] for f in quoted], [entry["id"]])
        only = organiser.get(path + "?quote=true").json()
        self.assertEqual(([f["id"] for f in only["items"]], only["total"], only["answers"]),
                         ([entry["id"]], 1, 2))  # the summary still counts every answer
        self.assertEqual(organiser.get(path + "?quote=maybe").status, 400)
        self.assertEqual(organiser.patch(f"{path}/{entry['id']}", {"quote": "yes"}).status, 400)
        self.assertEqual(organiser.patch(f"{path}/{entry['id']}", {}).status, 422)
        self.assertEqual(SERVER.login("viewer").patch(f"{path}/{entry['id']}",
                                                      {"quote": False}).status, 403)
        # An answer is changed only through its own session.
        _, other_session, _ = self.session_with_link()
        self.assertEqual(organiser.patch(f"{V1}/sessions/{other_session}/feedback/{entry['id']}",
                                         {"quote": False}).status, 404)
        self.assertTrue(organiser.get(path).json()["items"][-1]["quote"])
        unquote = organiser.patch(f"{path}/{entry['id']}", {"quote": False})
        self.assertFalse(unquote.json()["quote"])
        audit = SERVER.login("admin").get(f"{V1}/audit?entity=feedback&page_size=50").json()
        actions = {(a["action"], a["entity_id"]) for a in audit["items"]}
        self.assertTrue({("create", entry["id"]), ("quote", entry["id"]),
                         ("unquote", entry["id"])} <= actions, actions)


def sessions_of(client, campaign_id):
    """Every session `client` may list in the campaign, page by page."""
    out, page = [], 1
    while True:
        r = client.get(f"{V1}/sessions?campaign_id={campaign_id}&page_size=200&page={page}")
        assert r.status == 200, r
        out += r.json()["items"]
        if len(out) >= r.json()["total"]:
            return out
        page += 1


def expected_figures(sessions):
    """The dashboard's figures worked out here from the session list: a branch venue's
    headcount counts where the branch is, everything else where the main venue is."""
    import datetime
    totals = {"sessions": len(sessions), "audience_offline": 0, "online_viewers": 0,
              "branch_headcount": 0}
    leagues, groups, weeks, lecturers = {}, {}, {}, set()

    def count(table, key, sessions, audience):
        s, a = table.get(key, (0, 0))
        table[key] = (s + sessions, a + audience)

    for s in sessions:
        main = s["audience_offline"] + s["online_viewers"]
        totals["audience_offline"] += s["audience_offline"]
        totals["online_viewers"] += s["online_viewers"]
        count(leagues, s["region_code"][:4], 1, main)
        count(groups, s["audience_group"], 1, main)
        for b in s["branches"]:
            totals["branch_headcount"] += b["headcount"]
            count(leagues, b["region_code"][:4], 0, b["headcount"])
            count(groups, b["audience_group"], 0, b["headcount"])
        day = datetime.date.fromisoformat(s["date"])
        count(weeks, (day - datetime.timedelta(days=day.weekday())).isoformat(), 1,
              s["total_audience"])
        lecturers.update(s["lecturer_ids"])
    totals["audience"] = (totals["audience_offline"] + totals["online_viewers"]
                          + totals["branch_headcount"])
    totals["lecturers"] = len(lecturers)
    return totals, leagues, groups, weeks


class Statistics(unittest.TestCase):
    def figures(self, client, query="", campaign=None):
        r = client.get(f"{V1}/campaigns/{campaign or IDS['campaign']}/statistics{query}")
        self.assertEqual(r.status, 200, r)
        return r.json()

    def assert_matches_the_sessions(self, client, whole_province=True, campaign=None):
        got = self.figures(client, campaign=campaign)
        totals, leagues, groups, weeks = expected_figures(
            sessions_of(client, campaign or IDS["campaign"]))
        self.assertEqual({k: got["totals"][k] for k in totals}, totals)
        # Province-wide: every league and city of Inner Mongolia; a league: itself and those
        # its branch venues reached.
        if whole_province:
            self.assertEqual(len(got["regions"]), 12)
        else:
            self.assertTrue(all(r["sessions"] or r["audience"] or r["code"] == "150200"
                                for r in got["regions"]), got["regions"])
        self.assertEqual({r["code"][:4]: (r["sessions"], r["audience"]) for r in got["regions"]
                          if r["sessions"] or r["audience"]}, leagues)
        self.assertEqual({g["code"]: (g["sessions"], g["audience"])
                          for g in got["audience_groups"] if g["sessions"] or g["audience"]}, groups)
        self.assertEqual({w["week_start"]: (w["sessions"], w["audience"])
                          for w in got["weekly"] if w["sessions"]}, weeks)
        self.assertEqual(sum(i["sessions"] for i in got["industries"]), totals["sessions"])
        return got

    def test_each_role_sees_the_figures_of_its_own_subtree(self):
        organiser = self.assert_matches_the_sessions(SERVER.login("organiser"))
        baotou = self.assert_matches_the_sessions(SERVER.login("baotou"), whole_province=False)
        lecturer = self.assert_matches_the_sessions(SERVER.login("lecturer"))
        self.assertGreater(organiser["totals"]["sessions"], baotou["totals"]["sessions"])
        self.assertGreater(baotou["totals"]["sessions"], 0)
        # 包头's sessions are all hosted in 包头 (branches may be elsewhere).
        self.assertEqual([r["name"] for r in baotou["regions"] if r["sessions"]], ["包头市"])
        self.assertEqual(lecturer["lecturers"][0]["id"], IDS["lecturer"])
        # Narrowing to a subtree: the organiser's view of 包头 is 包头's own.
        narrowed = self.figures(SERVER.login("organiser"), f"?organisation_id={IDS['baotou']}")
        self.assertEqual(narrowed["totals"], baotou["totals"])
        self.assertEqual(narrowed["orders"], baotou["orders"])
        # A league sees its own league and targets only, nothing of its neighbours'.
        for figures in (baotou, narrowed):
            self.assertIn("150200", [r["code"] for r in figures["regions"]])
            self.assertLess(len(figures["regions"]), 12)
            self.assertTrue(all(x["region_code"] == "150200" for x in figures["targets"]),
                            figures["targets"])
        self.assertEqual(narrowed["regions"], baotou["regions"])
        self.assertEqual(narrowed["targets"], baotou["targets"])
        self.assertGreater(len(organiser["targets"]), len(baotou["targets"]))
        self.assertTrue(any(x["region_code"] == "" for x in organiser["targets"]))
        # ... and asking for a subtree outside one's scope counts nothing, revealing nothing.
        outside = self.figures(SERVER.login("baotou"), f"?organisation_id={IDS['wuhai_union']}")
        self.assertEqual((outside["totals"]["sessions"], sum(o["count"] for o in outside["orders"])),
                         (0, 0))
        self.assertEqual([o["state"] for o in organiser["orders"]],
                         ["submitted", "dispatched", "accepted", "delivered", "rated", "cancelled"])
        week = organiser["weekly"]
        self.assertEqual((week[0]["week_start"], week[-1]["week_start"]),
                         ("2022-10-31", "2023-01-30"))  # the Mondays around 11-01 and 01-31

    def test_figures_follow_the_workflow(self):
        organiser = SERVER.login("organiser")
        campaign = IDS["order_campaign"]  # orders go to a campaign still running
        before = self.figures(organiser, campaign=campaign)
        order = new_order()
        after_order = self.figures(organiser, campaign=campaign)
        submitted = lambda f: next(o["count"] for o in f["orders"] if o["state"] == "submitted")
        self.assertEqual(submitted(after_order), submitted(before) + 1)
        day = free_days(1, [IDS["lecturer"]], start="2051-01-09", end="2051-01-20")[0]
        r = organiser.post(f"{V1}/orders/{order['id']}/dispatch",
                           {"version": order["version"], "lecturer_id": IDS["lecturer"],
                            "date": day})
        self.assertEqual(r.status, 200, r)
        lecturer = SERVER.login("lecturer")
        r = lecturer.post(f"{V1}/orders/{order['id']}/accept", {"version": r.json()["version"]})
        self.assertEqual(r.status, 200, r)
        r = lecturer.post(f"{V1}/orders/{order['id']}/deliver",
                          {"version": r.json()["version"], "title": "劳模精神进企业",
                           "audience_offline": 200})
        self.assertEqual(r.status, 200, r)
        after = self.figures(organiser, campaign=campaign)
        self.assertEqual(after["totals"]["sessions"], before["totals"]["sessions"] + 1)
        self.assertEqual(after["totals"]["audience"], before["totals"]["audience"] + 200)
        league = lambda f: next(x for x in f["regions"] if x["code"] == "150200")
        self.assertEqual((league(after)["sessions"], league(after)["audience"]),
                         (league(before)["sessions"] + 1, league(before)["audience"] + 200))
        mine = lambda f: next((x["sessions"] for x in f["lecturers"] if x["id"] == IDS["lecturer"]),
                              0)
        self.assertEqual(mine(after), mine(before) + 1)
        delivered = lambda f: next(o["count"] for o in f["orders"] if o["state"] == "delivered")
        self.assertEqual(delivered(after), delivered(before) + 1)
        self.assertEqual(submitted(after), submitted(before))
        self.assert_matches_the_sessions(organiser, campaign=campaign)

    def test_an_invisible_campaign_is_404_and_bad_input_400(self):
        admin = SERVER.login("admin")
        campaign = admin.post(V1 + "/campaigns", {
            "title": "包头市职工宣讲月", "owner_organisation_id": IDS["baotou"],
            "start_date": "2023-03-01", "end_date": "2023-03-31"})
        self.assertEqual(campaign.status, 201, campaign)
        r = admin.post(V1 + "/accounts", {
            "username": "wuhai_viewer", "display_name": "乌海查看", "role": "viewer",
            "organisation_id": IDS["wuhai_union"], "password": "Wuhai-viewer-2022"})
        self.assertEqual(r.status, 201, r)
        SERVER.passwords["wuhai_viewer"] = "Wuhai-viewer-2022"
        wuhai = SERVER.login("wuhai_viewer")
        cid = campaign.json()["id"]
        self.assertEqual(wuhai.get(f"{V1}/campaigns/{cid}/statistics").status, 404)
        self.assertEqual(wuhai.get(f"{V1}/campaigns/999999/statistics").status, 404)
        fresh = SERVER.login("baotou").get(f"{V1}/campaigns/{cid}/statistics")
        self.assertEqual(fresh.status, 200, fresh)
        self.assertEqual((fresh.json()["totals"]["sessions"], fresh.json()["totals"]["average_rating"],
                          len(fresh.json()["weekly"])), (0, None, 5))
        bad = admin.get(f"{V1}/campaigns/{IDS['campaign']}/statistics?organisation_id=abc")
        self.assertEqual((bad.status, bad.json()["error"]["field"]), (400, "organisation_id"))


def plain_session(client):
    """A session nobody ordered, in 包头, to hang photos on."""
    r = client.post(V1 + "/sessions", {
        "title": "车间宣讲", "date": "2023-01-05", "venue": "职工之家",
        "host_organisation_id": IDS["rare_earth"], "region_code": "150203",
        "audience_group": "frontline_workers", "format": "offline",
        "audience_offline": 40, "lecturer_ids": [IDS["lecturer"]]})
    assert r.status == 201, r
    return r.json()


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def jpeg_bytes(width=3, height=2):
    """A whole baseline JPEG of one grey block, written out marker by marker: start of image, JFIF,
    a quantisation table, the frame header (SOF0) with its size, one Huffman table each for DC and
    AC (a single one-bit code), the scan header, one byte of entropy-coded data, end of image."""
    import struct

    def segment(marker, body):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body
    return (b"\xff\xd8"
            + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
            + segment(0xDB, b"\x00" + b"\x01" * 64)
            + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
            + segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
            + segment(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")
            + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + b"\x3f" + b"\xff\xd9")


JPEG = jpeg_bytes()


def png_chunk(kind, data):
    import struct
    import zlib
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class Photos(unittest.TestCase):
    def upload(self, client, session_id, data, kind="image/jpeg"):
        return client.request("POST", f"{V1}/sessions/{session_id}/photos", raw=data,
                              headers={"Content-Type": kind})

    def oversized_status(self, client, session_id):
        """Announces a body one byte over 10 MB and sends only its start: the server refuses on
        the header alone (sending it all would race the server closing the connection)."""
        import socket
        with socket.create_connection(("127.0.0.1", SERVER.port), timeout=30) as sock:
            head = (f"POST {V1}/sessions/{session_id}/photos HTTP/1.1\r\n"
                    f"Host: 127.0.0.1\r\nCookie: {client.cookie}\r\nX-CSRF-Token: {client.csrf}\r\n"
                    f"Content-Type: image/jpeg\r\nContent-Length: {10 * 1024 * 1024 + 1}\r\n\r\n")
            sock.sendall(head.encode() + b"\xff\xd8\xff" + b"\x00" * 1000)
            answer = b""
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        return int(answer.split(b" ")[1])

    def files(self):
        root = os.path.join(SERVER.dir, "photos")
        return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)

    def sessions(self, organiser, n):
        ids = []
        for _ in range(n):
            ids.append(plain_session(organiser)["id"])
        return ids

    def test_bad_uploads_get_a_4xx_and_leave_nothing_behind(self):
        organiser = SERVER.login("organiser")
        (session_id,) = self.sessions(organiser, 1)
        before = self.files()
        cases = [
            (b"GIF89a" + b"\x00" * 100, "image/jpeg", 422),        # wrong type, right header
            (b"%PDF-1.4 not a picture", "image/png", 422),
            (JPEG[:-2] + b"\x00\x00", "image/jpeg", 422),          # truncated: no end marker
            (png_bytes()[:-12], "image/png", 422),                  # truncated PNG
            (b"", "image/jpeg", 422),                               # empty
        ]
        for data, kind, want in cases:
            r = self.upload(organiser, session_id, data, kind)
            self.assertEqual(r.status, want, (data[:12], r))
        self.assertEqual(self.oversized_status(organiser, session_id), 413)
        self.assertEqual(organiser.get(f"{V1}/sessions/{session_id}/photos").json()["total"], 0)
        self.assertEqual(self.files(), before)

    def test_only_the_structure_of_a_whole_picture_is_taken(self):
        """Issue 13, finding 8: a signature and an end marker around HTML, a PNG declaring
        100000×100000 pixels, a broken CRC and a 4-byte JPEG were all taken as pictures."""
        import struct
        organiser = SERVER.login("organiser", lang="en")
        (session_id,) = self.sessions(organiser, 1)
        before = self.files()
        html = b"<html><script>alert(document.cookie)</script></html>"
        good = png_bytes()
        polyglot = good[:33] + html + png_chunk(b"IEND", b"")  # signature, IHDR, HTML, IEND
        huge = (b"\x89PNG\r\n\x1a\n"
                + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0))
                + png_bytes()[33:])
        bad_crc = good[:29] + bytes([good[29] ^ 1]) + good[30:]  # one bit of IHDR's CRC
        cases = [
            (polyglot, "only a whole JPEG or PNG picture"),
            (huge, "at most 50 megapixels (this one is 100000×100000)"),
            (bad_crc, "CRC of PNG chunk IHDR"),
            (good + html, "after its end"),
            (b"\xff\xd8\xff\xd9", "no frame header"),
            (JPEG[:-2], "no end marker"),
        ]
        for data, why in cases:
            r = self.upload(organiser, session_id, data, "image/png")
            self.assertEqual(r.status, 422, (data[:16], r))
            self.assertEqual(r.json()["error"]["field"], "photo", r)
            self.assertIn(why, r.json()["errors"][0]["message"], r)
        for data, why in cases[:2]:  # portraits go through the same check
            r = organiser.request("PUT", f"{V1}/lecturers/{IDS['other_lecturer']}/photo", raw=data,
                                  headers={"Content-Type": "image/png"})
            self.assertEqual(r.status, 422, r)
        zh = SERVER.login("organiser", lang="zh-CN").request(
            "POST", f"{V1}/sessions/{session_id}/photos", raw=huge,
            headers={"Content-Type": "image/png"})
        self.assertIn("照片不能超过 5000 万像素", zh.json()["errors"][0]["message"], zh)
        self.assertEqual(organiser.get(f"{V1}/sessions/{session_id}/photos").json()["total"], 0)
        self.assertEqual(self.files(), before)

    def test_pictures_are_served_so_that_no_browser_runs_them(self):
        """nosniff, a CSP that allows nothing (and sandboxes a picture opened on its own), and a
        download name made of the id alone: a picture never becomes a page of our origin."""
        organiser = SERVER.login("organiser")
        (session_id,) = self.sessions(organiser, 1)
        png = self.upload(organiser, session_id, png_bytes(shade=5)).json()
        jpeg = self.upload(organiser, session_id, JPEG).json()
        self.assertEqual(jpeg["content_type"], "image/jpeg")
        portrait = organiser.request("PUT", f"{V1}/lecturers/{IDS['other_lecturer']}/photo",
                                     raw=png_bytes(shade=6), headers={"Content-Type": "image/png"})
        self.assertEqual(portrait.status, 200, portrait)
        served = [(organiser.get(png["url"]), f'inline; filename="photo-{png["id"]}.png"'),
                  (organiser.get(jpeg["url"]), f'inline; filename="photo-{jpeg["id"]}.jpg"'),
                  (organiser.get(portrait.json()["photo_url"]),
                   f'inline; filename="lecturer-{IDS["other_lecturer"]}.png"')]
        for got, disposition in served:
            self.assertEqual(got.status, 200, got)
            self.assertEqual(got.header("X-Content-Type-Options"), "nosniff")
            csp = got.header("Content-Security-Policy") or ""
            self.assertIn("default-src 'none'", csp)
            self.assertIn("sandbox", csp)
            self.assertEqual(got.header("Content-Disposition"), disposition)
        self.assertEqual(organiser.request(
            "DELETE", f"{V1}/lecturers/{IDS['other_lecturer']}/photo").status, 204)

    def test_photos_are_kept_once_by_content_and_served_with_their_type(self):
        organiser = SERVER.login("organiser")
        first, second = self.sessions(organiser, 2)
        picture = png_bytes(shade=77)
        a = self.upload(organiser, first, picture, "image/jpeg")  # the header lies: content wins
        self.assertEqual(a.status, 201, a)
        self.assertEqual(a.json()["content_type"], "image/png")
        b = self.upload(organiser, second, picture, "image/png")
        self.assertEqual(b.status, 201, b)
        jpeg = self.upload(organiser, first, JPEG)
        self.assertEqual(jpeg.json()["content_type"], "image/jpeg")
        stored = [f for f in self.files() if f.endswith(".png")]
        self.assertEqual(len([f for f in stored if read_file(f) == picture]), 1)

        got = organiser.get(a.json()["url"])
        self.assertEqual((got.status, got.header("Content-Type"), got.body),
                         (200, "image/png", picture))
        self.assertIn("max-age=31536000", got.header("Cache-Control"))
        self.assertEqual(SERVER.client().get(a.json()["url"]).status, 401)
        listed = organiser.get(f"{V1}/sessions/{first}/photos").json()
        self.assertEqual(listed["total"], 2)

        # Removing one of two photos of the same content keeps the file; the last one removes it.
        r = organiser.request("DELETE", f"{V1}/sessions/{first}/photos/{a.json()['id']}")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(organiser.get(b.json()["url"]).body, picture)
        self.assertEqual(len([f for f in self.files() if read_file(f) == picture]), 1)
        r = organiser.request("DELETE", f"{V1}/sessions/{second}/photos/{b.json()['id']}")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(len([f for f in self.files() if read_file(f) == picture]), 0)
        self.assertEqual(organiser.get(a.json()["url"]).status, 404)
        # A photo is deleted through its own session only.
        self.assertEqual(organiser.request(
            "DELETE", f"{V1}/sessions/{second}/photos/{jpeg.json()['id']}").status, 404)

    def test_scope_binds_photos(self):
        organiser = SERVER.login("organiser")
        (session_id,) = self.sessions(organiser, 1)
        photo = self.upload(organiser, session_id, JPEG).json()
        self.assertEqual(SERVER.login("viewer").get(photo["url"]).status, 200)
        self.assertEqual(self.upload(SERVER.login("viewer"), session_id, JPEG).status, 403)
        self.assertEqual(SERVER.login("requester").get(photo["url"]).status, 200)  # its own union
        wuhai = SERVER.login("admin").get(
            f"{V1}/sessions?organisation_id={IDS['wuhai_union']}").json()["items"][0]["id"]
        self.assertEqual(self.upload(SERVER.login("baotou"), wuhai, JPEG).status, 404)


if __name__ == "__main__":
    unittest.main()


class Portraits(unittest.TestCase):
    """A lecturer's portrait (宣讲员照片): set, served, replaced and removed, by whom."""

    def put(self, client, lecturer_id, data, kind="image/png"):
        return client.request("PUT", f"{V1}/lecturers/{lecturer_id}/photo", raw=data,
                              headers={"Content-Type": kind})

    def files(self):
        root = os.path.join(SERVER.dir, "photos")
        return sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)

    def test_set_serve_replace_and_remove_leave_no_file_behind(self):
        organiser = SERVER.login("organiser")
        lid = IDS["other_lecturer"]
        before = self.files()
        first = png_bytes(6, 8, shade=10)
        r = self.put(organiser, lid, first)
        self.assertEqual(r.status, 200, r)
        url = r.json()["photo_url"]
        self.assertTrue(url.startswith(f"{V1}/lecturers/{lid}/photo?v="), url)
        got = organiser.get(url)
        self.assertEqual((got.status, got.header("Content-Type"), got.body),
                         (200, "image/png", first))
        self.assertIn("immutable", got.header("Cache-Control"))
        self.assertEqual(organiser.get(f"{V1}/lecturers/{lid}").json()["photo_url"], url)
        self.assertEqual(len(self.files()), len(before) + 1)
        # Replacing gives a new address and takes the old file away.
        second = png_bytes(6, 8, shade=200)
        r = self.put(organiser, lid, second)
        self.assertNotEqual(r.json()["photo_url"], url)
        self.assertEqual(len(self.files()), len(before) + 1)
        # Bad pictures change nothing.
        for data, kind in [(b"GIF89a" + b"\x00" * 50, "image/png"), (second[:-12], "image/png"),
                           (b"", "image/jpeg")]:
            self.assertEqual(self.put(organiser, lid, data, kind).status, 422)
        self.assertEqual(organiser.get(r.json()["photo_url"]).body, second)
        # Removing: 204, then no portrait, no file.
        gone = organiser.request("DELETE", f"{V1}/lecturers/{lid}/photo")
        self.assertEqual(gone.status, 204, gone)
        self.assertIsNone(organiser.get(f"{V1}/lecturers/{lid}").json()["photo_url"])
        self.assertEqual(organiser.get(f"{V1}/lecturers/{lid}/photo").status, 404)
        self.assertEqual(organiser.request("DELETE", f"{V1}/lecturers/{lid}/photo").status, 404)
        self.assertEqual(self.files(), before)

    def test_who_may_and_a_shared_file_stays(self):
        picture = png_bytes(5, 5, shade=77)
        lecturer = SERVER.login("lecturer")
        mine = self.put(lecturer, IDS["lecturer"], picture)
        self.assertEqual(mine.status, 200, mine)  # their own portrait is theirs
        self.assertEqual(self.put(lecturer, IDS["other_lecturer"], picture).status, 403)
        self.assertEqual(self.put(SERVER.login("viewer"), IDS["lecturer"], picture).status, 403)
        self.assertEqual(SERVER.login("viewer").get(mine.json()["photo_url"]).status, 200)
        self.assertEqual(SERVER.login("requester").get(mine.json()["photo_url"]).status, 403)
        # The same picture as a session photo: removing the portrait keeps the file for it.
        organiser = SERVER.login("organiser")
        session = plain_session(organiser)
        photo = organiser.request("POST", f"{V1}/sessions/{session['id']}/photos", raw=picture,
                                  headers={"Content-Type": "image/png"})
        self.assertEqual(photo.status, 201, photo)
        self.assertEqual(lecturer.request("DELETE", f"{V1}/lecturers/{IDS['lecturer']}/photo").status,
                         204)
        self.assertEqual(organiser.get(f"{V1}/photos/{photo.json()['id']}").body, picture)

    def test_pictures_of_several_megabytes_are_taken(self):
        """Phone photos run to several MB: above the 1 MiB of a JSON body, within 10 MB."""
        import struct
        import zlib
        small = png_bytes(4, 4, shade=33)
        filler = b"\x00" * (3 * 1024 * 1024)
        chunk = struct.pack(">I", len(filler)) + b"teXt" + filler + struct.pack(
            ">I", zlib.crc32(b"teXt" + filler))
        big = small[:33] + chunk + small[33:]  # after IHDR: still a whole PNG
        organiser = SERVER.login("organiser")
        r = self.put(organiser, IDS["other_lecturer"], big)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(organiser.get(r.json()["photo_url"]).body, big)
        session = plain_session(organiser)
        photo = organiser.request("POST", f"{V1}/sessions/{session['id']}/photos", raw=big,
                                  headers={"Content-Type": "image/png"})
        self.assertEqual(photo.status, 201, photo)
        self.assertEqual(organiser.request("DELETE", f"{V1}/lecturers/{IDS['other_lecturer']}/photo").status,
                         204)
