"""`xuanjiang secrets rotate` (issue 16): new keys for the personal data. After a rotation the
server with the new key file reveals the same ID number and phone and shows the same voucher code,
de-duplication still finds the same person and the till still finds the voucher by its code; the
old key file no longer opens the database. A wrong key file, a missing one, or a database the key
cannot open are refused with exit code 1 and nothing changed.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/secrets_test.py
"""
import base64
import datetime
import os
import shutil
import stat
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(serial):
    first = f"15020319800101{serial % 1000:03d}"
    return first + "10X98765432"[sum(int(a) * w for a, w in zip(first, WEIGHTS)) % 11]


def day(offset=0):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def foreign_key_file(path):
    """A well-formed secrets file with keys of its own (another installation's)."""
    key = lambda: base64.b64encode(os.urandom(32)).decode()  # noqa: E731
    with open(path, "w", encoding="ascii") as f:
        f.write(f"xj-secrets 1\nenc 1 {key()}\nhash {key()}\n")
    os.chmod(path, 0o600)


def setUpModule():
    global SERVER
    SERVER = Server(demo=True)


def tearDownModule():
    SERVER.stop()


class SecretsRotate(unittest.TestCase):
    def pay(self, admin, programme, root, id_number, **extra):
        body = {"programme_id": programme["id"], "organisation_id": root, "amount_fen": 10_000,
                "aid_kind": "cash", "date": day(), "officials": "工会主席 李明", "name": "王建国",
                "id_number": id_number, "phone": "13812345678", "employer": "包钢集团",
                "category": "hardship_worker"}
        body.update(extra)
        return admin.post(V1 + "/disbursements", body)

    def rotate(self, *args):
        return SERVER.cli("secrets", "rotate", *args)

    def left_over(self):
        return [p for p in (SERVER.secrets + ".new", SERVER.secrets + ".old") if os.path.exists(p)]

    def test_rotation_keeps_every_person_and_voucher_and_retires_the_old_key(self):
        admin = SERVER.login("admin")
        root = next(o["id"] for o in admin.get(f"{V1}/organisations?page_size=200")
                    .json()["items"] if o["parent_id"] is None)
        r = admin.post(V1 + "/programmes", {
            "title": "密钥轮换送温暖", "owner_organisation_id": root, "start_date": day(-10),
            "end_date": day(30), "budget_fen": 10_000_000, "categories": ["hardship_worker"],
            "kinds": ["cash", "voucher"]})
        self.assertEqual(r.status, 201, r)
        p = r.json()
        p = admin.post(f"{V1}/programmes/{p['id']}/open", {"version": p["version"]}).json()
        number = resident_id(417)
        r = self.pay(admin, p, root, number)
        self.assertEqual(r.status, 201, r)
        beneficiary = r.json()["beneficiary_id"]
        shop = admin.post(V1 + "/vouchers/merchants", {
            "organisation_id": root, "name": "维多利超市", "credit_code": "91150100MA0N0000X1",
            "contact": "0471-1234567"}).json()
        b = admin.post(V1 + "/vouchers/batches", {
            "programme_id": p["id"], "organisation_id": root, "title": "困难职工消费券",
            "face_value_fen": 20_000, "count": 2, "valid_from": day(-1), "valid_to": day(30),
            "merchant_ids": [shop["id"]]}).json()
        r = admin.post(f"{V1}/vouchers/batches/{b['id']}/issue", {"beneficiaries": [
            {"name": "张三", "id_number": resident_id(418), "phone": "13900001111",
             "category": "hardship_worker"}]})
        self.assertEqual(r.status, 201, r)
        voucher = r.json()["items"][0]
        before = admin.post(f"{V1}/beneficiaries/{beneficiary}/reveal").json()
        self.assertEqual((before["id_number"], before["phone"]), (number, "13812345678"))
        with open(SERVER.secrets, "rb") as f:
            old_keys = f.read()
        old_copy = os.path.join(SERVER.dir, "old.secrets")
        shutil.copy(SERVER.secrets, old_copy)

        # Stopped, as docs/operations.md says; then the refusals, each changing nothing.
        SERVER.proc.terminate()
        self.assertEqual(SERVER.proc.wait(timeout=10), 0)
        foreign = os.path.join(SERVER.dir, "foreign.secrets")
        foreign_key_file(foreign)
        for args, words in ((["--secrets", foreign], "does not open beneficiary"),
                            (["--secrets", os.path.join(SERVER.dir, "none.secrets")],
                             "no secrets file")):
            r = self.rotate(*args)
            self.assertEqual(r.returncode, 1, (args, r.stdout, r.stderr))
            self.assertIn(words, r.stderr)
            self.assertIn("othing was changed", r.stderr)
        self.assertFalse(os.path.exists(foreign + ".new") or os.path.exists(foreign + ".old"))
        with open(SERVER.secrets, "rb") as f:
            self.assertEqual(f.read(), old_keys)

        r = self.rotate("--secrets", SERVER.secrets)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("vouchers re-encrypted", r.stdout)
        with open(SERVER.secrets, "rb") as f:
            new_keys = f.read()
        self.assertNotEqual(new_keys, old_keys)
        self.assertIn(b"enc 2 ", new_keys)
        self.assertNotIn(b"enc 1 ", new_keys)
        self.assertEqual(stat.S_IMODE(os.stat(SERVER.secrets).st_mode), 0o600)
        self.assertEqual(self.left_over(), [])
        # The old key opens nothing any more: rotating with it is refused, nothing changed.
        r = self.rotate("--secrets", old_copy)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("does not open", r.stderr)
        with open(SERVER.secrets, "rb") as f:
            self.assertEqual(f.read(), new_keys)

        # The server with the new key: the same numbers, the same code, the same person.
        SERVER.restart()
        admin = SERVER.login("admin")
        after = admin.post(f"{V1}/beneficiaries/{beneficiary}/reveal").json()
        self.assertEqual((after["id_number"], after["phone"]), (number, "13812345678"))
        self.assertEqual(admin.get(f"{V1}/vouchers/issued/{voucher['id']}").json()["code"],
                         voucher["code"])
        r = self.pay(admin, p, root, number.lower(), name="王建国")
        self.assertEqual((r.status, r.json()["error"]["field"]), (409, "confirm_duplicate"), r)
        r = self.pay(admin, p, root, resident_id(419))
        self.assertEqual(r.status, 201, r)
        self.assertNotEqual(r.json()["beneficiary_id"], beneficiary)
        # The till finds the voucher by its code (its hash under the new key) and redeems it.
        name = "till_" + uuid.uuid4().hex[:8]
        r = admin.post(V1 + "/accounts", {"username": name, "display_name": "收银台",
                                          "role": "merchant", "organisation_id": root,
                                          "password": "Till-password-2026"})
        self.assertEqual(r.status, 201, r)
        admin.post(f"{V1}/vouchers/merchants/{shop['id']}/accounts",
                   {"account_id": r.json()["id"]})
        till = SERVER.client()
        till.post(V1 + "/auth/login", {"username": name, "password": "Till-password-2026"})
        r = till.post(f"{V1}/vouchers/{voucher['code']}/redeem",
                      headers={"Idempotency-Key": uuid.uuid4().hex})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(SERVER.cli("ledger", "verify").returncode, 0)


if __name__ == "__main__":
    unittest.main()
