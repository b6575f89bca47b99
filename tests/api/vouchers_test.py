"""E-vouchers (电子消费券, issue 16 point 5) and corrections of the care ledger: a batch sets its
value aside from an organisation's holding, one voucher per person with a 130-bit code (shown
whole only where the holder's code belongs), a merchant's till looks it up (masked holder) and
redeems it exactly once: the same request key answers the first answer, another key 409 with when
and where, an expired voucher 422 with its batch's value back in the holding, a merchant not in
the batch 403; fifty tills at once, one winner, on one process and (PostgreSQL) across two.
Reversals undo an allocation or a disbursement by a new movement, once. `ledger verify` agrees
after every step.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/vouchers_test.py
"""
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server  # noqa: E402
from care_test import day, resident_id, run_sql  # noqa: E402

V1 = "/api/v1"
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}-[0-9A-HJKMNP-TV-Z]{3}$")
PG = os.environ.get("XJ_API_ENGINE") == "postgresql"


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    IDS = {"root": next(o["id"] for o in orgs if o["parent_id"] is None),
           "hohhot": next(o["id"] for o in orgs if o["name"] == "呼和浩特市总工会"),
           "baotou": next(o["id"] for o in orgs if o["name"] == "包头市总工会")}


def tearDownModule():
    SERVER.stop()


def verify(server=None):
    out = (server or SERVER).cli("ledger", "verify")
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def programme(admin, budget=10_000_000, kinds=("cash", "voucher")):
    body = {"title": "消费券试点", "owner_organisation_id": IDS["root"], "start_date": day(-30),
            "end_date": day(90), "budget_fen": budget, "categories": ["hardship_worker"],
            "kinds": list(kinds)}
    p = admin.post(V1 + "/programmes", body).json()
    r = admin.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]})
    assert r.status == 200, r
    return r.json()


def holding(admin, programme_id, org):
    accounts = admin.get(f"{V1}/ledger?programme_id={programme_id}").json()["items"]
    return sum(a["balance_fen"] for a in accounts
               if a["kind"] == "holding" and a["organisation_id"] == org)


def merchant(admin, name, org=None):
    r = admin.post(V1 + "/vouchers/merchants", {"organisation_id": org or IDS["hohhot"],
                                                "name": name, "credit_code": "91150100MA0N0000X1",
                                                "contact": "0471-1234567"})
    assert r.status == 201, r
    return r.json()


def till(admin, m, org=None):
    """A new account of role merchant tied to merchant `m`, logged in."""
    name = "till_" + uuid.uuid4().hex[:8]
    r = admin.post(V1 + "/accounts", {"username": name, "display_name": m["name"] + "收银台",
                                      "role": "merchant", "organisation_id": org or IDS["hohhot"],
                                      "password": "Till-password-2026"})
    assert r.status == 201, r
    r = admin.post(f"{V1}/vouchers/merchants/{m['id']}/accounts", {"account_id": r.json()["id"]})
    assert r.status == 200, r
    c = SERVER.client()
    r = c.post(V1 + "/auth/login", {"username": name, "password": "Till-password-2026"})
    assert r.status == 200, r
    return c


def batch(admin, p, merchants, count=10, face=20_000, **extra):
    body = {"programme_id": p["id"], "organisation_id": IDS["root"], "title": "困难职工消费券",
            "face_value_fen": face, "count": count, "valid_from": day(-1), "valid_to": day(30),
            "merchant_ids": [m["id"] for m in merchants]}
    body.update(extra)
    return admin.post(V1 + "/vouchers/batches", body)


def person(name="王建国", **extra):
    p = {"name": name, "id_number": resident_id(), "phone": "13812345678",
         "category": "hardship_worker"}
    p.update(extra)
    return p


def redeem(client, code, key=None):
    return client.post(f"{V1}/vouchers/{code}/redeem",
                       headers={"Idempotency-Key": key or uuid.uuid4().hex})


class Vouchers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.admin = SERVER.login("admin")
        cls.p = programme(cls.admin)
        cls.shop = merchant(cls.admin, "维多利超市")
        cls.other = merchant(cls.admin, "草原书店")
        cls.till = till(cls.admin, cls.shop)
        cls.other_till = till(cls.admin, cls.other)

    def test_a_batch_sets_its_value_aside_and_refuses_overspending(self):
        before = holding(self.admin, self.p["id"], IDS["root"])
        r = batch(self.admin, self.p, [self.shop], count=10, face=20_000)
        self.assertEqual(r.status, 201, r)
        b = r.json()
        self.assertEqual((b["state"], b["issued"], b["count"]), ("open", 0, 10))
        self.assertEqual(holding(self.admin, self.p["id"], IDS["root"]), before - 200_000)
        accounts = self.admin.get(f"{V1}/ledger?programme_id={self.p['id']}").json()["items"]
        self.assertIn(200_000, [a["balance_fen"] for a in accounts if a["kind"] == "voucher_batch"])
        # More than is held: 409 naming the count, nothing booked.
        r = batch(self.admin, self.p, [self.shop], count=1000, face=1_000_000)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["field"], "count")
        self.assertEqual(holding(self.admin, self.p["id"], IDS["root"]), before - 200_000)
        # Bad fields, every one named; a programme without vouchers refused.
        r = batch(self.admin, self.p, [], count=0, face=-5, valid_to=day(-40), title="")
        self.assertEqual(r.status, 422, r)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertTrue({"count", "face_value_fen", "valid_to", "merchant_ids", "title"} <= fields,
                        fields)
        cash_only = programme(self.admin, kinds=("cash",))
        r = batch(self.admin, cash_only, [self.shop])
        self.assertEqual(r.status, 422, r)
        verify()

    def test_issue_redeem_once_and_the_answers_in_words(self):
        b = batch(self.admin, self.p, [self.shop], count=5).json()
        people = [person("张三"), person("李四")]
        r = self.admin.post(f"{V1}/vouchers/batches/{b['id']}/issue", {"beneficiaries": people})
        self.assertEqual(r.status, 201, r)
        issued = r.json()["items"]
        self.assertEqual(len(issued), 2)
        for v in issued:
            self.assertRegex(v["code"], CODE)
            self.assertEqual(v["state"], "issued")
        code = issued[0]["code"]
        # The same person again in the batch: 409, nothing issued.
        again = dict(people[0])
        r = self.admin.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                            {"beneficiaries": [person("赵六"), again]})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(self.admin.get(f"{V1}/vouchers/batches/{b['id']}").json()["issued"], 2)
        # More than is left: 422.
        r = self.admin.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                            {"beneficiaries": [person(), person(), person(), person()]})
        self.assertEqual(r.status, 422, r)
        # Lists mask the code; the organiser's single view and the QR carry it.
        listed = self.admin.get(f"{V1}/vouchers/batches/{b['id']}/vouchers").json()["items"]
        self.assertEqual(len(listed), 2)
        for v in listed:
            self.assertNotIn("code", v)
            self.assertTrue(v["code_mask"].startswith("****-"))
        one = self.admin.get(f"{V1}/vouchers/issued/{issued[0]['id']}").json()
        self.assertEqual(one["code"], code)
        viewer = SERVER.login("viewer")
        self.assertNotIn("code", viewer.get(f"{V1}/vouchers/issued/{issued[0]['id']}").json())
        svg = self.admin.get(f"{V1}/vouchers/issued/{issued[0]['id']}/qr?format=svg")
        self.assertEqual(svg.status, 200)
        self.assertIn(b"<svg", svg.body)
        png = self.admin.get(f"{V1}/vouchers/issued/{issued[0]['id']}/qr?format=png")
        self.assertEqual(png.body[:8], b"\x89PNG\r\n\x1a\n")
        # The till's look-up: value, validity, a masked holder only.
        r = self.till.get(f"{V1}/vouchers/{code.lower().replace('-', '')}")
        self.assertEqual(r.status, 200, r)
        seen = r.json()
        self.assertEqual((seen["face_value_fen"], seen["redeemable"], seen["holder"]),
                         (20_000, True, "张*"))
        self.assertNotIn("张三", r.body.decode())
        self.assertNotIn(people[0]["id_number"][:10], r.body.decode())
        # A merchant not in the batch: 403 and its look-up says why.
        self.assertFalse(self.other_till.get(f"{V1}/vouchers/{code}").json()["redeemable"])
        self.assertEqual(redeem(self.other_till, code).status, 403)
        # Redeem; the same key again answers the same; another key 409 with when and where.
        r = redeem(self.till, code, "key-1")
        self.assertEqual(r.status, 201, r)
        first = r.json()
        self.assertEqual((first["merchant_name"], first["face_value_fen"]), ("维多利超市", 20_000))
        r = redeem(self.till, code, "key-1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["id"], r.json()["replayed"]), (first["id"], True))
        r = redeem(self.till, code, "key-2")
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["redeemed"]["merchant"], "维多利超市")
        self.assertIn("维多利超市", r.json()["error"]["message"])
        self.assertIn("核销", r.json()["error"]["message"])
        en = SERVER.client("en")
        en.cookie, en.csrf = self.till.cookie, self.till.csrf
        self.assertIn("was redeemed at", redeem(en, code).json()["error"]["message"])
        # The key of that redemption for another voucher: 422; no key: 400; a guess: 404.
        self.assertEqual(redeem(self.till, issued[1]["code"], "key-1").status, 422)
        self.assertEqual(self.till.post(f"{V1}/vouchers/{issued[1]['code']}/redeem").status, 400)
        guess = code[:-5] + ("0000" if code[-4:] != "0000" else "1111")
        self.assertEqual(redeem(self.till, guess).status, 404)
        self.assertEqual(self.till.get(f"{V1}/vouchers/NOT-A-CODE").status, 404)
        # Merchants see their own redemptions; nothing else of the system.
        mine = self.till.get(V1 + "/vouchers/redemptions").json()
        self.assertIn(first["id"], [x["id"] for x in mine["items"]])
        self.assertEqual({x["merchant_name"] for x in mine["items"]}, {"维多利超市"})
        self.assertEqual(self.other_till.get(V1 + "/vouchers/redemptions").json()["total"], 0)
        for path in ("/programmes", "/sessions", "/lecturers", "/vouchers/batches", "/ledger?programme_id=1",
                     "/disbursements", f"/vouchers/issued/{issued[0]['id']}"):
            self.assertEqual(self.till.get(V1 + path).status, 403, path)
        self.assertEqual(self.admin.get(V1 + "/vouchers/" + code).status, 403)  # no merchant
        after = self.admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        self.assertEqual((after["issued"], after["redeemed"]), (2, 1))
        # Audited.
        audit = self.admin.get(V1 + "/audit?page_size=50").json()["items"]
        self.assertIn("redeem", [a["action"] for a in audit])
        verify()

    def test_an_expired_voucher_is_refused_and_its_value_returns(self):
        b = batch(self.admin, self.p, [self.shop], count=4, face=5_000).json()
        issued = self.admin.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                                 {"beneficiaries": [person(), person(), person()]}).json()["items"]
        self.assertEqual(redeem(self.till, issued[0]["code"]).status, 201)
        before = holding(self.admin, self.p["id"], IDS["root"])
        # The last valid day passes (written straight into the database: no clock to turn).
        self.assertEqual(run_sql(SERVER, [f"UPDATE care_voucher_batches SET valid_to = "
                                          f"'{day(-1)}' WHERE id = {b['id']}"]), 0)
        verify()  # before the sweep the value still sits in the batch: verify agrees
        self.assertEqual(self.till.get(f"{V1}/vouchers/{issued[1]['code']}").json()["state"],
                         "expired")
        r = redeem(self.till, issued[1]["code"])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field"], "code")
        self.assertIn("过期", r.json()["error"]["message"])
        # The three unredeemed (two issued, one never issued) return to the holding, once.
        self.assertEqual(holding(self.admin, self.p["id"], IDS["root"]), before + 3 * 5_000)
        self.assertEqual(redeem(self.till, issued[2]["code"]).status, 422)
        self.assertEqual(holding(self.admin, self.p["id"], IDS["root"]), before + 3 * 5_000)
        after = self.admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        self.assertEqual((after["state"], after["redeemed"], after["expired"]), ("expired", 1, 2))
        verify()

    def test_the_expire_command_sweeps_due_batches(self):
        b = batch(self.admin, self.p, [self.shop], count=2, face=1_000).json()
        before = holding(self.admin, self.p["id"], IDS["root"])
        self.assertEqual(run_sql(SERVER, [f"UPDATE care_voucher_batches SET valid_to = "
                                          f"'{day(-2)}' WHERE id = {b['id']}"]), 0)
        out = SERVER.cli("vouchers", "expire")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("Expired", out.stdout)
        self.assertEqual(holding(self.admin, self.p["id"], IDS["root"]), before + 2_000)
        self.assertEqual(SERVER.cli("vouchers", "expire").stdout.strip(), "Expired 0 voucher batches.")
        verify()

    def test_scope_a_league_sees_and_issues_only_its_own(self):
        baotou = SERVER.login("baotou")
        b = batch(self.admin, self.p, [self.shop], count=1).json()
        self.assertEqual(baotou.get(f"{V1}/vouchers/batches/{b['id']}").status, 404)
        self.assertNotIn(b["id"], [x["id"] for x in
                                   baotou.get(V1 + "/vouchers/batches").json()["items"]])
        self.assertEqual(baotou.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                                     {"beneficiaries": [person()]}).status, 404)
        self.assertEqual(baotou.get(V1 + "/vouchers/merchants").json()["total"], 0)
        r = baotou.post(V1 + "/vouchers/merchants", {"organisation_id": IDS["hohhot"], "name": "x"})
        self.assertEqual(r.status, 422, r)
        r = baotou.post(f"{V1}/vouchers/merchants/{self.shop['id']}/accounts", {"account_id": 1})
        self.assertEqual(r.status, 404, r)
        self.assertEqual(SERVER.login("viewer").post(V1 + "/vouchers/batches", {}).status, 403)

    def test_no_code_in_the_database_bytes(self):
        b = batch(self.admin, self.p, [self.shop], count=1).json()
        code = self.admin.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                               {"beneficiaries": [person()]}).json()["items"][0]["code"]
        symbols = code.replace("-", "")
        if PG:
            dump = subprocess.run(["pg_dump", SERVER.db], capture_output=True, text=True).stdout
        else:
            db = sqlite3.connect(SERVER.db)
            db.execute("PRAGMA wal_checkpoint(FULL)")
            db.close()
            with open(SERVER.db, "rb") as f:
                dump = f.read().decode("latin-1")
        self.assertNotIn(symbols, dump)
        self.assertNotIn(code, dump)


class VoucherParallel(unittest.TestCase):
    def test_fifty_parallel_redemptions_of_one_voucher_exactly_one_wins(self):
        admin = SERVER.login("admin")
        p = programme(admin)
        shop = merchant(admin, "并发超市")
        tills = [till(admin, shop) for _ in range(2)]
        b = batch(admin, p, [shop], count=1).json()
        code = admin.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                          {"beneficiaries": [person()]}).json()["items"][0]["code"]
        servers = [SERVER]
        if PG:  # server mode: two processes on one database
            servers.append(SERVER.another_process())
        try:
            clients = []
            for i in range(50):
                s = servers[i % len(servers)]
                c = s.client()
                c.cookie, c.csrf = tills[i % 2].cookie, tills[i % 2].csrf
                clients.append(c)
            statuses = [None] * 50
            start = threading.Barrier(50)

            def go(i):
                start.wait()
                statuses[i] = redeem(clients[i], code, f"parallel-{i}").status

            threads = [threading.Thread(target=go, args=(i,)) for i in range(50)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(sorted(statuses), [201] + [409] * 49, statuses)
            accounts = admin.get(f"{V1}/ledger?programme_id={p['id']}").json()["items"]
            self.assertEqual([a["balance_fen"] for a in accounts if a["kind"] == "merchant"],
                             [20_000])
            verify()
        finally:
            for s in servers[1:]:
                s.proc.terminate()
                s.proc.wait(timeout=10)


def on(server, like):
    """A new connection to `server` carrying the login of client `like`."""
    c = server.client()
    c.cookie, c.csrf = like.cookie, like.csrf
    return c


def at_once(calls):
    """Runs the calls in threads released together; their answers in order."""
    out = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def go(i):
        start.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def issue(admin, b, n):
    codes = []
    while len(codes) < n:
        r = admin.post(f"{V1}/vouchers/batches/{b['id']}/issue",
                       {"beneficiaries": [person() for _ in range(min(100, n - len(codes)))]})
        assert r.status == 201, r
        codes += [v["code"] for v in r.json()["items"]]
    return codes


class VoucherRaces(unittest.TestCase):
    """Redemptions on PostgreSQL run without the store's global write lock (row locks and
    constraints instead): the races that opens, on two server processes on one database (one
    process on SQLite, where they are serialised anyway)."""

    @classmethod
    def setUpClass(cls):
        cls.admin = SERVER.login("admin")
        cls.servers = [SERVER]
        if PG:
            cls.servers.append(SERVER.another_process())

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers[1:]:
            s.proc.terminate()
            s.proc.wait(timeout=10)

    def server(self, i):
        return self.servers[i % len(self.servers)]

    def test_one_voucher_at_two_merchants_one_wins_the_other_hears_when_and_where(self):
        p = programme(self.admin)
        shops = [merchant(self.admin, "东门超市"), merchant(self.admin, "西门药店")]
        tills = [till(self.admin, m) for m in shops]
        b = batch(self.admin, p, shops, count=12).json()
        codes = issue(self.admin, b, 12)
        calls = []
        for code in codes:
            for i in range(2):
                c = on(self.server(i), tills[i])
                calls.append(lambda c=c, code=code: redeem(c, code))
        answers = at_once(calls)
        for k, code in enumerate(codes):
            pair = answers[2 * k:2 * k + 2]
            self.assertEqual(sorted(a.status for a in pair), [201, 409], pair)
            won = next(a for a in pair if a.status == 201).json()
            lost = next(a for a in pair if a.status == 409).json()
            self.assertEqual(lost["redeemed"]["merchant"], won["merchant_name"])
            self.assertEqual(lost["redeemed"]["at"], won["redeemed_at"])
            self.assertIn(won["merchant_name"], lost["error"]["message"])
        accounts = self.admin.get(f"{V1}/ledger?programme_id={p['id']}").json()["items"]
        self.assertEqual(sum(a["balance_fen"] for a in accounts if a["kind"] == "merchant"),
                         12 * 20_000)
        verify()

    def test_one_request_key_twice_at_once_answers_once(self):
        p = programme(self.admin)
        shop = merchant(self.admin, "南门超市")
        t = till(self.admin, shop)
        b = batch(self.admin, p, [shop], count=40).json()
        codes = issue(self.admin, b, 40)
        # One key on two vouchers at once: one redeems, the other hears the key is taken (422).
        calls = []
        for k in range(10):
            key = uuid.uuid4().hex
            for i in range(2):
                c = on(self.server(i), t)
                calls.append(lambda c=c, code=codes[2 * k + i], key=key: redeem(c, code, key))
        answers = at_once(calls)
        for k in range(10):
            pair = answers[2 * k:2 * k + 2]
            self.assertEqual(sorted(a.status for a in pair), [201, 422], pair)
            refused = next(a for a in pair if a.status == 422).json()["error"]
            self.assertEqual(refused["field"], "Idempotency-Key")
        # One key on one voucher, four times at once: one 201, the others replay it (200).
        calls = []
        for k in range(20, 30):
            key = uuid.uuid4().hex
            for i in range(4):
                c = on(self.server(i), t)
                calls.append(lambda c=c, code=codes[k], key=key: redeem(c, code, key))
        answers = at_once(calls)
        for k in range(10):
            four = answers[4 * k:4 * k + 4]
            self.assertEqual(sorted(a.status for a in four), [200, 200, 200, 201], four)
            self.assertEqual(len({a.json()["id"] for a in four}), 1, four)
        after = self.admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        self.assertEqual(after["redeemed"], 20)
        verify()

    def test_redemptions_racing_an_expiry_are_counted_once(self):
        p = programme(self.admin)
        shop = merchant(self.admin, "北门超市")
        t = till(self.admin, shop)
        n, face = 800, 1_000  # enough that redemptions are still in flight when it expires
        b = batch(self.admin, p, [shop], count=n + 20, face=face).json()
        codes = issue(self.admin, b, n)
        before = holding(self.admin, p["id"], IDS["root"])
        statuses = []
        lock = threading.Lock()
        todo = list(codes)
        # The last hundred codes wait for the expiry: on a loaded machine the others may all be
        # redeemed before it lands, and then no redemption would meet it.
        expired = threading.Event()

        def work(i):
            c = on(self.server(i), t)
            while True:
                with lock:
                    if not todo:
                        return
                    code = todo.pop() if len(todo) > 100 or expired.is_set() else None
                if code is None:
                    expired.wait()
                    continue
                status = redeem(c, code).status
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
        for th in threads:
            th.start()
        while True:  # the expiry comes while redemptions are in flight
            with lock:
                if len(statuses) >= 40:
                    break
            time.sleep(0.01)
        self.assertEqual(run_sql(SERVER, [f"UPDATE care_voucher_batches SET valid_to = "
                                          f"'{day(-1)}' WHERE id = {b['id']}"]), 0)
        out = SERVER.cli("vouchers", "expire")
        expired.set()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        for th in threads:
            th.join()
        self.assertEqual(set(statuses) - {201, 422}, set(), statuses)
        redeemed = statuses.count(201)
        self.assertGreater(statuses.count(422), 0)
        after = self.admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        self.assertEqual((after["state"], after["redeemed"]), ("expired", redeemed))
        # Returned: every voucher not redeemed, the 20 never issued too; nothing else.
        self.assertEqual(holding(self.admin, p["id"], IDS["root"]),
                         before + (n + 20 - redeemed) * face)
        verify()

    def test_issuing_while_redeeming_the_same_batch(self):
        p = programme(self.admin)
        shop = merchant(self.admin, "中街超市")
        t = till(self.admin, shop)
        b = batch(self.admin, p, [shop], count=100, face=1_000).json()
        codes = issue(self.admin, b, 50)
        calls = [lambda c=on(self.server(i), t), code=code: redeem(c, code).status
                 for i, code in enumerate(codes)]
        calls += [lambda: issue(self.admin, b, 10) and 201 for _ in range(5)]
        answers = at_once(calls)
        self.assertEqual(answers, [201] * 55, answers)
        after = self.admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        self.assertEqual((after["issued"], after["redeemed"]), (100, 50))
        verify()


class LedgerReversals(unittest.TestCase):
    def test_reversals_undo_once_and_verify(self):
        admin = SERVER.login("admin")
        p = programme(admin, kinds=("cash",))
        r = admin.post(V1 + "/allocations", {"programme_id": p["id"], "kind": "allocation",
                                             "from_organisation_id": IDS["root"],
                                             "to_organisation_id": IDS["baotou"],
                                             "amount_fen": 300_000})
        self.assertEqual(r.status, 201, r)
        allocation = r.json()
        d = admin.post(V1 + "/disbursements", {
            "programme_id": p["id"], "organisation_id": IDS["baotou"], "amount_fen": 100_000,
            "aid_kind": "cash", "date": day(), **person()})
        self.assertEqual(d.status, 201, d)
        d = d.json()
        audit_before = admin.get(V1 + "/audit?page_size=1").json()["total"]
        # A reason is required.
        self.assertEqual(admin.post(f"{V1}/disbursements/{d['id']}/reverse", {"reason": ""}).status,
                         422)
        # The allocation cannot be undone while part of it is spent.
        r = admin.post(f"{V1}/allocations/{allocation['id']}/reverse", {"reason": "录错了组织"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(holding(admin, p["id"], IDS["baotou"]), 200_000)
        r = admin.post(f"{V1}/disbursements/{d['id']}/reverse", {"reason": "金额录入错误"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["reverses_movement_id"], d["movement_id"])
        self.assertEqual(holding(admin, p["id"], IDS["baotou"]), 300_000)
        r = admin.post(f"{V1}/disbursements/{d['id']}/reverse", {"reason": "再来一次"})
        self.assertEqual(r.status, 409, r)
        self.assertIn("冲正", r.json()["error"]["message"])
        # The original stays as it was, marked reversed.
        original = admin.get(f"{V1}/disbursements/{d['id']}").json()
        self.assertEqual((original["amount_fen"], original["reversed"]), (100_000, True))
        r = admin.post(f"{V1}/allocations/{allocation['id']}/reverse", {"reason": "录错了组织"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(holding(admin, p["id"], IDS["baotou"]), 0)
        listed = admin.get(f"{V1}/allocations?programme_id={p['id']}").json()["items"]
        self.assertEqual([a["reversed"] for a in listed if a["id"] == allocation["id"]], [True])
        self.assertFalse(allocation["reversed"])
        self.assertEqual(admin.post(f"{V1}/allocations/{allocation['id']}/reverse",
                                    {"reason": "x"}).status, 409)
        entries = admin.get(V1 + "/audit?page_size=50").json()
        self.assertEqual(entries["total"], audit_before + 2)
        # Scope: a league cannot reverse the province's allocation; a viewer nothing.
        baotou = SERVER.login("baotou")
        self.assertEqual(baotou.post(f"{V1}/allocations/{allocation['id']}/reverse",
                                     {"reason": "x"}).status, 404)
        self.assertEqual(SERVER.login("viewer").post(f"{V1}/disbursements/{d['id']}/reverse",
                                                     {"reason": "x"}).status, 403)
        self.assertIn("verifies", verify())


class LedgerCrash(unittest.TestCase):
    """The kill -9 test of the ledger (the lecturers' one is crash_test.py): a stream of
    subsidies, each numbered by its 文号, the server killed with SIGKILL at a random moment and
    restarted, twenty rounds; then every acknowledged payment is there exactly once and
    `ledger verify` passes."""

    def test_acknowledged_disbursements_survive_kill_9_and_the_ledger_verifies(self):
        rounds = int(os.environ.get("XJ_CRASH_ROUNDS", "20"))
        server = Server(demo=False)
        rng = random.Random(20261204)
        try:
            token = server.cli("token", "create", "admin", "--name", "crash").stdout.strip()
            client = Client(server.port)
            client.bearer = token
            root = client.get(V1 + "/organisations").json()["items"][0]["id"]
            p = client.post(V1 + "/programmes", {
                "title": "崩溃测试", "owner_organisation_id": root, "start_date": day(-1),
                "end_date": day(30), "budget_fen": 10**11, "categories": ["hardship_worker"],
                "kinds": ["subsidy"]}).json()
            r = client.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]})
            self.assertEqual(r.status, 200, r)
            acknowledged = []
            sent = 0
            for _ in range(rounds):
                client = Client(server.port)
                client.bearer = token
                stop = threading.Event()
                done = []

                def writer():
                    nonlocal sent
                    while not stop.is_set():
                        sent += 1
                        number = f"崩溃〔2026〕{sent}号"
                        try:
                            r = client.post(V1 + "/subsidies", {
                                "programme_id": p["id"], "organisation_id": root,
                                "amount_fen": 100 + sent, "date": day(), "unit_name": "测试单位",
                                "document_no": number, "bank_name": "测试银行",
                                "bank_account": "6222020000000000"})
                        except OSError:
                            return  # the server is gone: never acknowledged
                        if r.status == 201:
                            done.append(number)
                        else:
                            raise AssertionError(f"write refused: {r}")

                t = threading.Thread(target=writer)
                t.start()
                time.sleep(rng.uniform(0.05, 0.6))
                server.proc.send_signal(signal.SIGKILL)
                server.proc.wait()
                stop.set()
                t.join()
                acknowledged.extend(done)
                server.restart()
            client = Client(server.port)
            client.bearer = token
            numbers = []
            page = 1
            while True:
                r = client.get(f"{V1}/subsidies?programme_id={p['id']}&page_size=200"
                               f"&page={page}").json()
                numbers.extend(d["document_no"] for d in r["items"])
                if page * 200 >= r["total"]:
                    break
                page += 1
            self.assertGreater(len(acknowledged), rounds)
            self.assertEqual([n for n in acknowledged if n not in set(numbers)], [])
            self.assertEqual(len(numbers), len(set(numbers)), "a payment was stored twice")
            self.assertIn("verifies", verify(server))
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
