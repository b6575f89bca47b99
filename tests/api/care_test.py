"""Care programmes (送温暖, issue 16): programmes opened onto one double-entry ledger, money
allocated down the union tree and taken back, people helped with their ID numbers checked,
encrypted and masked, units subsidised; nobody spends more than it holds (also under parallel
requests), the same person twice in a programme only with an organiser's reason, every full
number revealed only to an admin and audited; scope as everywhere; `xuanjiang ledger verify`
passes on what the API booked and names a discrepancy written behind its back.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/care_test.py
"""
import datetime
import glob
import json
import os
import sqlite3
import subprocess
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_serial = [100]


def resident_id(birth="19800101", region="150203"):
    """A fresh, valid GB 11643 number: its check character computed here, independently."""
    _serial[0] += 1
    first = f"{region}{birth}{_serial[0] % 1000:03d}"
    return first + "10X98765432"[sum(int(a) * w for a, w in zip(first, WEIGHTS)) % 11]


def day(offset=0):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    admin = SERVER.login("admin")
    orgs = admin.get(V1 + "/organisations?page_size=200").json()["items"]
    by_id = {o["id"]: o for o in orgs}
    root = next(o["id"] for o in orgs if o["parent_id"] is None)
    baotou = next(o["id"] for o in orgs if o["name"] == "包头市总工会")
    hohhot = next(o["id"] for o in orgs if o["name"] == "呼和浩特市总工会")
    child = next(o["id"] for o in orgs if o["parent_id"] == baotou)
    assert by_id[child]["parent_id"] == baotou
    IDS = {"root": root, "baotou": baotou, "hohhot": hohhot, "baotou_child": child}


def tearDownModule():
    SERVER.stop()


def audit_total(admin):
    return admin.get(V1 + "/audit?page_size=1").json()["total"]


def new_programme(client, budget=100_000_000, **extra):
    body = {"title": "2027年元旦春节送温暖", "owner_organisation_id": IDS["root"],
            "start_date": day(-30), "end_date": day(60), "budget_fen": budget,
            "categories": ["hardship_worker", "frontline_worker", "holiday_duty"],
            "kinds": ["cash", "goods", "subsidy"], "description": "两节期间走访慰问困难职工"}
    body.update(extra)
    r = client.post(V1 + "/programmes", body)
    assert r.status == 201, r
    p = r.json()
    r = client.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]})
    assert r.status == 200, r
    return r.json()


def allocate(client, programme, frm, to, fen, kind="allocation"):
    return client.post(V1 + "/allocations", {"programme_id": programme["id"], "kind": kind,
                                             "from_organisation_id": frm,
                                             "to_organisation_id": to, "amount_fen": fen})


def person(programme, org, fen, **extra):
    body = {"programme_id": programme["id"], "organisation_id": org, "amount_fen": fen,
            "aid_kind": "cash", "date": day(), "officials": "工会主席 李明", "name": "王建国",
            "id_number": resident_id(), "phone": "13812345678", "employer": "包钢集团",
            "category": "hardship_worker"}
    body.update(extra)
    return body


def balances(client, programme):
    r = client.get(f"{V1}/ledger?programme_id={programme['id']}")
    assert r.status == 200, r
    return {(a["kind"], a["organisation_id"]): a["balance_fen"] for a in r.json()["items"]}


def verify(server):
    return server.cli("ledger", "verify")


class CareProgrammes(unittest.TestCase):
    def test_opening_books_the_budget_and_the_state_machine_holds(self):
        admin = SERVER.login("organiser")
        p = new_programme(admin, budget=1_000_000_000)
        self.assertEqual(p["state"], "open")
        b = balances(admin, p)
        self.assertEqual(b[("budget", IDS["root"])], -1_000_000_000)
        self.assertEqual(b[("holding", IDS["root"])], 1_000_000_000)
        # Open twice: refused with the programme as it is now; the budget is fixed once open.
        r = admin.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]})
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "state"), r)
        self.assertEqual(r.json()["current"]["state"], "open")
        r = admin.patch(f"{V1}/programmes/{p['id']}", {"budget_fen": 5})
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "budget_fen"), r)
        r = admin.post(f"{V1}/programmes/{p['id']}/close", {"version": p["version"]})
        self.assertEqual(r.status, 200, r)
        r = allocate(admin, p, IDS["root"], IDS["baotou"], 100)
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "state"), r)
        self.assertEqual(verify(SERVER).returncode, 0)

    def test_bad_programmes_are_refused_field_by_field_in_both_languages(self):
        for lang, word in (("en", "budget"), (None, "预算")):
            client = SERVER.login("organiser", lang=lang)
            r = client.post(V1 + "/programmes", {
                "title": "", "owner_organisation_id": IDS["root"], "start_date": day(5),
                "end_date": day(1), "budget_fen": 0, "categories": ["nobody"], "kinds": []})
            self.assertEqual(r.status, 422, r)
            fields = {e["field"] for e in r.json()["errors"]}
            self.assertEqual(fields, {"title", "end_date", "budget_fen", "categories[0]", "kinds"})
            self.assertTrue(any(word in e["message"] for e in r.json()["errors"]), r.json())
        organiser = SERVER.login("organiser")
        base = {"title": "t", "owner_organisation_id": IDS["root"], "start_date": day(),
                "end_date": day(1), "categories": ["hardship_worker"], "kinds": ["cash"]}
        # A fraction of a fen, a string or a float amount is a bad request, not a rounding.
        for bad in (100.5, "100", 1e3):
            r = organiser.post(V1 + "/programmes", dict(base, budget_fen=bad))
            self.assertEqual((r.status, r.json()["error"]["field"]), (400, "budget_fen"), r)
        r = organiser.post(V1 + "/programmes", dict(base, budget_fen=100, kinds=["bitcoin"]))
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "kinds[0]"), r)

    def test_roles_and_scope(self):
        viewer = SERVER.login("viewer")
        self.assertEqual(viewer.get(V1 + "/programmes").status, 200)
        r = viewer.post(V1 + "/programmes", {"title": "x"})
        self.assertEqual(r.status, 403, r)
        for role in ("lecturer", "requester"):
            self.assertEqual(SERVER.login(role).get(V1 + "/programmes").status, 403)
        baotou = SERVER.login("baotou")
        # A league's own programme: the province sees it, Hohhot's organiser would not.
        r = baotou.post(V1 + "/programmes", {
            "title": "包头市困难职工帮扶", "owner_organisation_id": IDS["baotou"],
            "start_date": day(), "end_date": day(9), "budget_fen": 500,
            "categories": ["hardship_worker"], "kinds": ["cash"]})
        self.assertEqual(r.status, 201, r)
        own = r.json()
        r = baotou.post(V1 + "/programmes", {
            "title": "越权", "owner_organisation_id": IDS["hohhot"], "start_date": day(),
            "end_date": day(9), "budget_fen": 500, "categories": ["hardship_worker"],
            "kinds": ["cash"]})
        self.assertEqual((r.status, r.json()["errors"][0]["field"]),
                         (422, "owner_organisation_id"), r)
        ids = {p["id"] for p in SERVER.login("organiser").get(
            V1 + "/programmes?page_size=200").json()["items"]}
        self.assertIn(own["id"], ids)
        # The province's programme reads down the tree but is edited only by its owner's scope.
        p = new_programme(SERVER.login("organiser"))
        self.assertEqual(baotou.get(f"{V1}/programmes/{p['id']}").status, 200)
        r = baotou.patch(f"{V1}/programmes/{p['id']}", {"title": "改名"})
        self.assertEqual(r.status, 403, r)


class CareMoney(unittest.TestCase):
    def test_allocations_down_the_tree_and_overspending_refused_changing_nothing(self):
        organiser = SERVER.login("organiser")
        admin = SERVER.login("admin")
        p = new_programme(organiser, budget=10_000_000)
        r = allocate(organiser, p, IDS["root"], IDS["baotou"], 6_000_000)
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json()["from_name"], r.json()["to_name"]),
                         ("内蒙古自治区总工会", "包头市总工会"))
        before, audits = balances(organiser, p), audit_total(admin)
        r = allocate(organiser, p, IDS["root"], IDS["hohhot"], 4_000_001)
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "amount_fen"), r)
        self.assertIn("40,000.00", r.json()["error"]["message"])
        self.assertEqual(balances(organiser, p), before)
        self.assertEqual(audit_total(admin), audits)
        # Zero, negative, and to a grandchild: 422, nothing booked.
        for fen in (0, -5):
            r = allocate(organiser, p, IDS["root"], IDS["hohhot"], fen)
            self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "amount_fen"), r)
        r = allocate(organiser, p, IDS["root"], IDS["baotou_child"], 100)
        self.assertEqual((r.status, r.json()["errors"][0]["field"]),
                         (422, "to_organisation_id"), r)
        self.assertEqual(balances(organiser, p), before)

        baotou = SERVER.login("baotou")
        # A league cannot allocate to another league, nor spend the province's money.
        r = allocate(baotou, p, IDS["baotou"], IDS["hohhot"], 100)
        self.assertEqual((r.status, r.json()["errors"][0]["field"]),
                         (422, "to_organisation_id"), r)
        r = allocate(baotou, p, IDS["root"], IDS["hohhot"], 100)
        self.assertEqual(r.status, 422, r)
        self.assertIn("from_organisation_id", {e["field"] for e in r.json()["errors"]})
        # Down to its own child, then back what is unspent, and no more.
        r = allocate(baotou, p, IDS["baotou"], IDS["baotou_child"], 2_000_000)
        self.assertEqual(r.status, 201, r)
        r = allocate(baotou, p, IDS["baotou"], IDS["baotou_child"], 500_000, kind="take_back")
        self.assertEqual(r.status, 201, r)
        r = allocate(baotou, p, IDS["baotou"], IDS["baotou_child"], 1_500_001, kind="take_back")
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "amount_fen"), r)
        # baotou's ledger shows its subtree only; the province's shows everything.
        mine = balances(baotou, p)
        self.assertEqual(mine, {("holding", IDS["baotou"]): 4_500_000,
                                ("holding", IDS["baotou_child"]): 1_500_000})
        everything = balances(organiser, p)
        self.assertEqual(everything[("holding", IDS["root"])], 4_000_000)
        self.assertEqual(sum(everything.values()), 0)
        listed = baotou.get(f"{V1}/allocations?programme_id={p['id']}").json()
        self.assertEqual({a["kind"] for a in listed["items"]}, {"allocation", "take_back"})
        self.assertEqual(listed["total"], 3)  # province → baotou, baotou → child, take-back
        account = next(a for a in baotou.get(f"{V1}/ledger?programme_id={p['id']}").json()["items"]
                       if a["organisation_id"] == IDS["baotou_child"])
        entries = baotou.get(f"{V1}/ledger/accounts/{account['id']}/entries").json()
        self.assertEqual([e["amount_fen"] for e in entries["items"]], [-500_000, 2_000_000])
        root_account = next(a for a in organiser.get(
            f"{V1}/ledger?programme_id={p['id']}").json()["items"]
            if a["organisation_id"] == IDS["root"] and a["kind"] == "holding")
        self.assertEqual(baotou.get(f"{V1}/ledger/accounts/{root_account['id']}/entries").status,
                         404)
        self.assertEqual(verify(SERVER).returncode, 0, verify(SERVER).stderr)

    def test_disbursements_masked_checked_and_paid_once_unless_confirmed(self):
        organiser = SERVER.login("organiser")
        admin = SERVER.login("admin")
        p = new_programme(organiser, budget=1_000_000)
        self.assertEqual(allocate(organiser, p, IDS["root"], IDS["baotou"], 300_000).status, 201)
        baotou = SERVER.login("baotou")
        # A wrong check character, a date outside the programme, a kind it does not give.
        body = person(p, IDS["baotou"], 50_000)
        wrong = body["id_number"][:17] + ("0" if body["id_number"][17] != "0" else "1")
        r = baotou.post(V1 + "/disbursements", dict(body, id_number=wrong, date=day(-400),
                                                    aid_kind="voucher"))
        self.assertEqual(r.status, 422, r)
        self.assertEqual({e["field"] for e in r.json()["errors"]},
                         {"id_number", "date", "aid_kind"})
        for fen in (0, -1):
            r = baotou.post(V1 + "/disbursements", dict(body, amount_fen=fen))
            self.assertEqual(r.status, 422, r)
        r = baotou.post(V1 + "/disbursements", dict(body, amount_fen=1.5))
        self.assertEqual(r.status, 400, r)
        r = baotou.post(V1 + "/disbursements", dict(body, amount_fen=300_001))
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "amount_fen"), r)
        self.assertEqual(baotou.get(f"{V1}/disbursements?programme_id={p['id']}").json()["total"],
                         0)

        r = baotou.post(V1 + "/disbursements", body)
        self.assertEqual(r.status, 201, r)
        first = r.json()
        full = body["id_number"]
        self.assertEqual(first["id_number_masked"], full[:4] + "*" * 10 + full[-4:])
        self.assertEqual(first["phone_masked"], "138****5678")
        # The same person again (the ID number in lower case is the same number): refused...
        again = dict(body, id_number=full.lower(), amount_fen=20_000, name="王建国")
        r = baotou.post(V1 + "/disbursements", again)
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "confirm_duplicate"), r)
        r = baotou.post(V1 + "/disbursements", dict(again, confirm_duplicate=True))
        self.assertEqual((r.status, r.json()["errors"][0]["field"]), (422, "duplicate_reason"), r)
        # ...then confirmed with a reason.
        r = baotou.post(V1 + "/disbursements",
                        dict(again, confirm_duplicate=True, duplicate_reason="家中突发重病，追加慰问"))
        self.assertEqual(r.status, 201, r)
        second = r.json()
        self.assertEqual(second["beneficiary_id"], first["beneficiary_id"])
        view = baotou.get(f"{V1}/disbursements/{second['id']}").json()
        self.assertEqual([h["id"] for h in view["history"]], [first["id"]])
        self.assertEqual(view["history_elsewhere"], 0)
        # The same person in another programme is shown in their history.
        q = new_programme(organiser, budget=100_000)
        allocate(organiser, q, IDS["root"], IDS["baotou"], 100_000)
        r = baotou.post(V1 + "/disbursements", person(q, IDS["baotou"], 10_000, id_number=full))
        self.assertEqual(r.status, 201, r)
        view = baotou.get(f"{V1}/disbursements/{r.json()['id']}").json()
        self.assertEqual({h["programme_id"] for h in view["history"]}, {p["id"]})

        # No full number in any list or answer; the full ones only through the audited reveal.
        for client in (baotou, organiser, admin):
            for path in (f"/disbursements?programme_id={p['id']}", f"/disbursements/{first['id']}",
                         "/audit?page_size=200"):
                text = client.get(V1 + path).body.decode("utf-8")
                self.assertNotIn(full, text, path)
                self.assertNotIn("13812345678", text, path)
        self.assertEqual(
            organiser.post(f"{V1}/beneficiaries/{first['beneficiary_id']}/reveal").status, 403)
        audits = audit_total(admin)
        r = admin.post(f"{V1}/beneficiaries/{first['beneficiary_id']}/reveal")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["id_number"], r.json()["phone"]), (full, "13812345678"))
        self.assertEqual(audit_total(admin), audits + 1)
        entry = admin.get(V1 + "/audit?action=reveal&page_size=1").json()["items"][0]
        self.assertEqual((entry["entity"], entry["entity_id"]),
                         ("care_beneficiary", first["beneficiary_id"]))
        self.assertNotIn(full, json.dumps(entry, ensure_ascii=False))
        # Out of scope: Hohhot's organiser would see nothing of it (baotou's child neither).
        self.assertEqual(SERVER.login("viewer").get(
            f"{V1}/disbursements/{first['id']}").status, 200)
        if os.environ.get("XJ_API_ENGINE") != "postgresql":
            # Nor does the database file itself hold the number or the phone.
            for f in glob.glob(SERVER.db + "*"):
                with open(f, "rb") as data:
                    raw = data.read()
                self.assertNotIn(full.encode(), raw, f)
                self.assertNotIn(b"13812345678", raw, f)
        self.assertEqual(verify(SERVER).returncode, 0, verify(SERVER).stderr)

    def test_a_unit_subsidy_carries_its_document_and_bank(self):
        organiser = SERVER.login("organiser")
        p = new_programme(organiser, budget=764_000_000)
        body = {"programme_id": p["id"], "organisation_id": IDS["root"], "amount_fen": 5_000_000,
                "date": day(), "unit_name": "包头稀土新材料公司", "document_no": "内工发〔2027〕3号",
                "bank_name": "中国工商银行包头分行", "bank_account": "0602 0211 0900 1234 567"}
        r = organiser.post(V1 + "/subsidies", dict(body, document_no="", bank_account="abc"))
        self.assertEqual({e["field"] for e in r.json()["errors"]}, {"document_no", "bank_account"})
        r = organiser.post(V1 + "/subsidies", body)
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json()["aid_kind"], r.json()["document_no"]),
                         ("subsidy", "内工发〔2027〕3号"))
        listed = organiser.get(f"{V1}/subsidies?programme_id={p['id']}").json()
        self.assertEqual(listed["total"], 1)
        self.assertEqual(balances(organiser, p)[("paid", IDS["root"])], 5_000_000)


class CareParallel(unittest.TestCase):
    def run_parallel(self, clients, bodies):
        results = [None] * len(bodies)
        barrier = threading.Barrier(len(bodies))

        def go(i):
            barrier.wait()
            results[i] = clients[i % len(clients)].post(V1 + "/disbursements", bodies[i])
        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(bodies))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def test_two_parallel_payments_over_the_balance_exactly_one_wins(self):
        organiser = SERVER.login("organiser")
        p = new_programme(organiser, budget=150_000)
        clients = [SERVER.login("organiser"), SERVER.login("admin")]
        results = self.run_parallel(clients, [person(p, IDS["root"], 100_000) for _ in range(2)])
        self.assertEqual(sorted(r.status for r in results), [201, 409], results)
        self.assertEqual(balances(organiser, p)[("holding", IDS["root"])], 50_000)

    def test_twenty_of_fifty_parallel_payments_fit_an_allocation_of_twenty(self):
        organiser = SERVER.login("organiser")
        p = new_programme(organiser, budget=10_000_000)
        self.assertEqual(allocate(organiser, p, IDS["root"], IDS["baotou"], 2_000_000).status, 201)
        clients = [SERVER.login("baotou") for _ in range(5)]
        results = self.run_parallel(clients,
                                    [person(p, IDS["baotou"], 100_000) for _ in range(50)])
        statuses = [r.status for r in results]
        self.assertEqual((statuses.count(201), statuses.count(409)), (20, 30), statuses)
        self.assertEqual(balances(organiser, p)[("holding", IDS["baotou"])], 0)
        self.assertEqual(verify(SERVER).returncode, 0, verify(SERVER).stderr)


class LedgerVerify(unittest.TestCase):
    def test_verify_names_an_unbalanced_movement_written_behind_the_servers_back(self):
        # Its own server: the corruption must not reach the other classes' ledger.
        server = Server(demo=False)
        try:
            admin = server.login("admin")
            root = admin.get(V1 + "/organisations").json()["items"][0]["id"]
            p = new_programme_on(admin, root)
            r = server.cli("ledger", "verify")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("1 programmes", r.stdout)
            account = admin.get(f"{V1}/ledger?programme_id={p['id']}").json()["items"][0]["id"]
            # The triggers refuse to change an entry...
            statements = [f"UPDATE ledger_entries SET amount_fen = 1 WHERE account_id = {account}"]
            self.assertNotEqual(run_sql(server, statements), 0)
            # ...so a forger appends a movement with one leg only.
            statements = [
                f"INSERT INTO ledger_movements (programme_id, kind, at, note) "
                f"VALUES ({p['id']}, 'allocation', 0, 'forged')",
                f"INSERT INTO ledger_entries (movement_id, account_id, amount_fen) "
                f"VALUES ((SELECT MAX(id) FROM ledger_movements), {account}, 700)"]
            self.assertEqual(run_sql(server, statements), 0)
            r = server.cli("ledger", "verify")
            self.assertEqual(r.returncode, 1, r)
            self.assertIn("does not balance: 1 entries summing to 700 fen", r.stderr)
        finally:
            server.stop()


def new_programme_on(client, root):
    body = {"title": "核对", "owner_organisation_id": root, "start_date": day(),
            "end_date": day(1), "budget_fen": 10_000, "categories": ["hardship_worker"],
            "kinds": ["cash"]}
    p = client.post(V1 + "/programmes", body).json()
    return client.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]}).json()


def run_sql(server, statements):
    """Runs the statements in one transaction straight on the database; 0 when they all ran."""
    if os.environ.get("XJ_API_ENGINE") == "postgresql":
        script = "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;\n"
        return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server.db],
                              input=script, text=True, capture_output=True).returncode
    db = sqlite3.connect(server.db)
    try:
        with db:
            for s in statements:
                db.execute(s)
        return 0
    except sqlite3.DatabaseError:
        return 1
    finally:
        db.close()


if __name__ == "__main__":
    unittest.main()
