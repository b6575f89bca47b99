"""The care generator (issue 16, "Speed"): `init --demo --demo-disbursements N
--demo-past-disbursements M` spreads generated payments over the demo's organisation tree in
bulk, and what it writes is what the service would have written: the ledger verifies, every
organisation spent within what it received, the report counts every payment, the people carry
valid GB 11643 numbers sealed like typed ones (no full number in the database file's bytes).
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/care_volume_test.py
"""
import glob
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
NOW, PAST = 1234, 345


def check_char(first17):
    """GB 11643's check character, computed here independently of the server."""
    return "10X98765432"[sum(int(a) * w for a, w in zip(first17, WEIGHTS)) % 11]


def setUpModule():
    global SERVER
    SERVER = Server(demo=True, init_args=("--demo-disbursements", str(NOW),
                                          "--demo-past-disbursements", str(PAST)))


def tearDownModule():
    SERVER.stop()


def every_page(client, path):
    items, page = [], 1
    while True:
        r = client.get(f"{path}&page_size=200&page={page}").json()
        items += r["items"]
        if page * 200 >= r["total"]:
            return items, r["total"]
        page += 1


class CareVolume(unittest.TestCase):

    def programmes(self, admin):
        """The generated programmes, last year's first."""
        items = admin.get(f"{V1}/programmes?page_size=50").json()["items"]
        return sorted((p for p in items if p["title"].endswith("年困难职工常态化帮扶")),
                      key=lambda p: p["start_date"])

    def test_the_generated_ledger_verifies(self):
        r = SERVER.cli("ledger", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("4 programmes", r.stdout)  # the demo's two and the generated two

    def test_the_programmes_hold_every_payment_within_their_allocations(self):
        admin = SERVER.login("admin")
        past, now = self.programmes(admin)
        self.assertEqual((past["state"], now["state"]), ("closed", "open"))
        for programme, count in ((now, NOW), (past, PAST)):
            report = admin.get(f"{V1}/programmes/{programme['id']}/report").json()
            self.assertEqual(report["count"], count)
            self.assertEqual(report["people"], count)  # a different person each time
            self.assertEqual(report["budget_fen"], programme["budget_fen"])
            self.assertEqual(report["received_fen"], programme["budget_fen"])
            self.assertGreater(report["held_fen"], 0)  # a twentieth is left unspent
            self.assertEqual(sum(c["count"] for c in report["categories"]), count)
            paid, total = every_page(admin, f"{V1}/disbursements?programme_id={programme['id']}")
            self.assertEqual(total, count)
            self.assertEqual(sum(d["amount_fen"] for d in paid), report["disbursed_fen"])
            for d in paid:
                self.assertTrue(programme["start_date"] <= d["date"] <= programme["end_date"], d)
            # Allocations came down the tree first: no holding or paid account is negative,
            # and every organisation that paid received its money from its parent.
            accounts = admin.get(f"{V1}/ledger?programme_id={programme['id']}").json()["items"]
            self.assertTrue(all(a["balance_fen"] >= 0 for a in accounts if a["kind"] != "budget"))
            payers = {d["organisation_id"] for d in paid}
            self.assertGreater(len(payers), 12)  # spread over the tree, not one organisation
            allocations, _ = every_page(admin, f"{V1}/allocations?programme_id={programme['id']}")
            fed = {a["to_organisation_id"] for a in allocations}
            self.assertEqual(payers - fed, {report["organisation_id"]})  # but the province

    def test_a_league_sees_its_subtree_only(self):
        baotou = SERVER.login("baotou")
        _, now = self.programmes(SERVER.login("admin"))
        report = baotou.get(f"{V1}/programmes/{now['id']}/report").json()
        self.assertGreater(report["count"], 0)
        self.assertLess(report["count"], NOW)
        paid, total = every_page(baotou, f"{V1}/disbursements?programme_id={now['id']}")
        self.assertEqual(total, report["count"])
        self.assertEqual(sum(d["amount_fen"] for d in paid), report["disbursed_fen"])

    def test_generated_people_have_valid_numbers_sealed_like_typed_ones(self):
        admin = SERVER.login("admin")
        _, now = self.programmes(admin)
        paid = admin.get(f"{V1}/disbursements?programme_id={now['id']}&page_size=40").json()
        revealed = []
        for d in paid["items"][:8]:
            r = admin.post(f"{V1}/beneficiaries/{d['beneficiary_id']}/reveal")
            self.assertEqual(r.status, 200, r)
            number, phone = r.json()["id_number"], r.json()["phone"]
            self.assertRegex(number, r"^15\d{15}[\dX]$")
            self.assertEqual(number[17], check_char(number[:17]), number)
            self.assertEqual(d["id_number_masked"], number[:4] + "*" * 10 + number[14:])
            self.assertRegex(phone, r"^1[3-9]\d{9}$")
            revealed.append((number, phone))
        self.assertEqual(len({n for n, _ in revealed}), len(revealed))
        if os.environ.get("XJ_API_ENGINE") != "postgresql":
            masks = 0
            for f in glob.glob(SERVER.db + "*"):
                with open(f, "rb") as data:
                    raw = data.read()
                for number, phone in revealed:
                    self.assertNotIn(number.encode(), raw, f)
                    self.assertNotIn(phone.encode(), raw, f)
                    masks += raw.count(number[:4].encode() + b"*" * 10)
            self.assertGreater(masks, 0)  # the masks are there, so the grep reads the rows


if __name__ == "__main__":
    unittest.main()
