"""API tests: the real server, the demo data, every role, in scope and out of scope, and bad
input of every kind. Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/api_test.py
"""
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, order_campaign, past_campaign, png_bytes  # noqa: E402

ROLES = ["admin", "organiser", "baotou", "lecturer", "requester", "viewer"]
V1 = "/api/v1"


def setUpModule():
    global SERVER, IDS
    SERVER = Server(demo=True)
    IDS = discover(SERVER.login("admin"))


def tearDownModule():
    SERVER.stop()


def find(client, path, **match):
    page = 1
    while True:
        r = client.get(f"{path}{'&' if '?' in path else '?'}page_size=200&page={page}")
        assert r.status == 200, r
        for item in r.json()["items"]:
            if all(item.get(k) == v for k, v in match.items()):
                return item
        if page * 200 >= r.json()["total"]:
            raise AssertionError(f"nothing in {path} matches {match}")
        page += 1


def discover(admin):
    """Ids of demo records that each test needs, found through the API itself."""
    ids = {}
    ids["root"] = find(admin, V1 + "/organisations", name="内蒙古自治区总工会")["id"]
    ids["baotou"] = find(admin, V1 + "/organisations", name="包头市总工会")["id"]
    ids["wuhai"] = find(admin, V1 + "/organisations", name="乌海市总工会")["id"]
    ids["rare_earth"] = find(admin, V1 + "/organisations", name="包头稀土新材料公司工会")["id"]
    ids["wuhai_union"] = find(admin, V1 + "/organisations", name="乌海市焦化集团工会")["id"]
    me = {u: SERVER.login(u).get(V1 + "/auth/me").json() for u in ("lecturer",)}
    ids["own_lecturer"] = me["lecturer"]["lecturer_id"]
    lecturers = admin.get(V1 + "/lecturers?page_size=200").json()["items"]
    ids["province_lecturer"] = next(l["id"] for l in lecturers
                                    if l["organisation_id"] == ids["root"]
                                    and l["id"] != ids["own_lecturer"])
    ids["baotou_lecturer"] = next(l["id"] for l in lecturers
                                  if l["organisation_id"] == ids["baotou"])
    ids["campaign"] = past_campaign(admin)["id"]
    ids["order_campaign"] = order_campaign(admin)["id"]
    baotou_path = admin.get(f"{V1}/organisations/{ids['baotou']}").json()["path"]
    # Sessions of the 2022 campaign, whose feedback forms have closed.
    past = f"campaign_id={ids['campaign']}"
    sessions = admin.get(V1 + f"/sessions?page_size=200&region_code=150300&{past}").json()["items"]
    ids["wuhai_session"] = next(s["id"] for s in sessions
                                if s["host_organisation_id"] != ids["root"]
                                and ids["own_lecturer"] not in s["lecturer_ids"])
    ids["rare_earth_session"] = admin.get(
        f"{V1}/sessions?organisation_id={ids['rare_earth']}&{past}").json()["items"][0]["id"]
    ids["own_session"] = admin.get(
        f"{V1}/sessions?lecturer_id={ids['own_lecturer']}&{past}").json()["items"][0]["id"]
    ids["baotou_path"] = baotou_path
    ids["admin_account"] = find(admin, V1 + "/accounts", username="admin")["id"]
    ids["requester_account"] = find(admin, V1 + "/accounts", username="requester")["id"]
    ids["dictionary_entry"] = admin.get(V1 + "/dictionaries?kind=topic").json()["items"][0]["id"]
    # An order of a Wuhai union, left submitted at version 1: the matrix's transitions on it are
    # all refusals, so that the rows do not depend on the order in which roles run.
    r = admin.post(V1 + "/orders", order_body(ids["wuhai_union"], ids["order_campaign"]))
    assert r.status == 201, r
    ids["wuhai_order"] = r.json()["id"]
    r = admin.post(f"{V1}/campaigns/{ids['order_campaign']}/dispatch-plans",
                   {"time_limit_seconds": 1})
    assert r.status == 202, r
    ids["plan"] = r.json()["id"]
    while admin.get(f"{V1}/dispatch-plans/{ids['plan']}").json()["state"] == "running":
        time.sleep(0.2)
    # 送温暖 (issue 16): a province programme with money at Wuhai and one person helped there.
    programme = admin.post(V1 + "/programmes", {
        "title": "矩阵送温暖", "owner_organisation_id": ids["root"], "start_date": "2020-01-01",
        "end_date": "2099-12-31", "budget_fen": 100_000_000,
        "categories": ["hardship_worker"], "kinds": ["cash", "subsidy", "voucher"]}).json()
    programme = admin.post(f"{V1}/programmes/{programme['id']}/open",
                           {"version": programme["version"]}).json()
    ids["programme"] = programme["id"]
    r = admin.post(V1 + "/allocations", {
        "programme_id": programme["id"], "from_organisation_id": ids["root"],
        "to_organisation_id": ids["wuhai"], "amount_fen": 10_000_000})
    assert r.status == 201, r
    ids["wuhai_allocation"] = r.json()["id"]
    paid = admin.post(V1 + "/disbursements", care_person(ids, "setup")).json()
    ids["wuhai_disbursement"] = paid["id"]
    ids["wuhai_beneficiary"] = paid["beneficiary_id"]
    ids["reversible_disbursement"] = admin.post(
        V1 + "/disbursements", care_person(ids, "reversible")).json()["id"]
    # 电子消费券: a Wuhai merchant and batch, one voucher issued.
    r = admin.post(V1 + "/vouchers/merchants", {"organisation_id": ids["wuhai"],
                                                "name": "乌海矩阵超市"})
    assert r.status == 201, r
    ids["merchant"] = r.json()["id"]
    r = admin.post(V1 + "/vouchers/batches", {
        "programme_id": programme["id"], "organisation_id": ids["wuhai"], "title": "矩阵消费券",
        "face_value_fen": 100, "count": 10, "valid_from": "2024-01-01",
        "valid_to": "2099-12-31", "merchant_ids": [ids["merchant"]]})
    assert r.status == 201, r
    ids["voucher_batch"] = r.json()["id"]
    person = care_person(ids, "voucher")
    r = admin.post(f"{V1}/vouchers/batches/{ids['voucher_batch']}/issue", {"beneficiaries": [
        {k: person[k] for k in ("name", "id_number", "category")}]})
    assert r.status == 201, r
    ids["voucher"] = r.json()["items"][0]["id"]
    ids["voucher_code"] = r.json()["items"][0]["code"]
    r = admin.request("POST", f"{V1}/disbursements/{paid['id']}/photos", raw=png_bytes(shade=7),
                      headers={"Content-Type": "image/png"})
    assert r.status == 201, r
    ids["wuhai_care_photo"] = r.json()["id"]
    ids["wuhai_account"] = next(
        a["id"] for a in admin.get(f"{V1}/ledger?programme_id={programme['id']}").json()["items"]
        if a["organisation_id"] == ids["wuhai"] and a["kind"] == "holding")
    return ids


def order_body(org, campaign, **extra):
    body = {"organisation_id": org, "campaign_id": campaign, "window_from": "2051-01-09",
            "window_to": "2051-01-20", "region_code": "150302", "address": "乌海市海勃湾区职工之家",
            "audience_group": "frontline_workers", "expected_audience": 80}
    body.update(extra)
    return body


def session_body(host, lecturer, date="2022-12-01", **extra):
    body = {"campaign_id": IDS["campaign"], "title": "测试宣讲", "date": date,
            "start_time": "09:00", "end_time": "10:30", "venue": "职工之家",
            "host_organisation_id": host, "region_code": "150203",
            "audience_group": "frontline_workers", "format": "offline",
            "audience_offline": 50, "lecturer_ids": [lecturer]}
    body.update(extra)
    return body


def lecturer_body(org, name="测试宣讲员"):
    return {"organisation_id": org, "name": name, "category": "model_worker",
            "languages": ["zh"], "topics": ["craftsmanship"]}


class Health(unittest.TestCase):
    def test_health_names_version_and_engine(self):
        r = SERVER.client().get(V1 + "/health")
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["engine"], os.environ.get("XJ_API_ENGINE", "sqlite"))
        self.assertRegex(body["version"], r"^\d+\.\d+\.\d+$")


class Login(unittest.TestCase):
    def test_every_demo_account_logs_in_and_sees_its_organisation(self):
        expected = {"admin": "内蒙古自治区总工会", "organiser": "内蒙古自治区总工会",
                    "viewer": "内蒙古自治区总工会", "baotou": "包头市总工会",
                    "requester": "包头稀土新材料公司工会"}
        for user in ROLES:
            me = SERVER.login(user).get(V1 + "/auth/me")
            self.assertEqual(me.status, 200, user)
            if user in expected:
                self.assertEqual(me.json()["organisation"]["name"], expected[user])
            self.assertTrue(me.json()["csrf_token"])

    def test_session_cookie_is_httponly_and_samesite(self):
        c = SERVER.client()
        r = c.post(V1 + "/auth/login", {"username": "viewer",
                                        "password": SERVER.passwords["viewer"]})
        cookie = r.header("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertNotIn(SERVER.passwords["viewer"], r.body.decode())

    def test_wrong_password_is_401_in_the_users_language(self):
        zh = SERVER.client().post(V1 + "/auth/login", {"username": "viewer", "password": "x" * 12})
        self.assertEqual(zh.status, 401)
        self.assertEqual(zh.json()["error"]["message"], "用户名或密码错误")
        en = SERVER.client("en-US").post(V1 + "/auth/login",
                                        {"username": "nobody", "password": "x" * 12})
        self.assertEqual(en.status, 401)
        self.assertEqual(en.json()["error"]["message"], "wrong user name or password")

    def test_missing_fields_are_field_errors(self):
        r = SERVER.client().post(V1 + "/auth/login", {"username": ""})
        self.assertEqual(r.status, 422)
        self.assertEqual({e["field"] for e in r.json()["errors"]}, {"username", "password"})

    def test_a_too_short_new_password_is_refused_before_the_current_one_logs_in(self):
        # Found by the API fuzzer: the check of the current password logged in (a login
        # session and a "login" audit row) and then the change was refused.
        c = SERVER.login("viewer")
        admin = SERVER.login("admin")
        before = admin.get(V1 + "/audit?username=viewer&page_size=1").json()["total"]
        r = c.post(V1 + "/auth/password", {"current_password": SERVER.passwords["viewer"],
                                           "new_password": "short"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual({e["field"] for e in r.json()["errors"]}, {"new_password"})
        self.assertEqual(admin.get(V1 + "/audit?username=viewer&page_size=1").json()["total"],
                         before)
        self.assertEqual(c.get(V1 + "/auth/me").status, 200)

    def test_logout_ends_the_session(self):
        c = SERVER.login("viewer")
        self.assertEqual(c.post(V1 + "/auth/logout").status, 204)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)

    def test_writes_with_a_cookie_need_the_csrf_header(self):
        c = SERVER.login("organiser")
        body = lecturer_body(IDS["root"], "跨站请求")
        self.assertEqual(c.post(V1 + "/lecturers", body, csrf=False).status, 403)
        c.csrf = "0" * 64
        self.assertEqual(c.post(V1 + "/lecturers", body).status, 403)

    def test_bearer_tokens_work_without_csrf(self):
        out = SERVER.cli("token", "create", "viewer", "--name", "test")
        self.assertEqual(out.returncode, 0, out.stderr)
        c = SERVER.client()
        c.bearer = out.stdout.strip()
        self.assertEqual(c.get(V1 + "/auth/me").json()["username"], "viewer")
        c.bearer = "f" * 64
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)


class Lockout(unittest.TestCase):
    """Its own server: a locked account must not disturb the other tests."""

    def test_repeated_failures_lock_the_account_for_a_while(self):
        server = Server(demo=False)
        try:
            c = server.client()
            statuses = [c.post(V1 + "/auth/login", {"username": "admin", "password": "wrong-" + str(i) * 8}).status
                        for i in range(5)]
            self.assertEqual(statuses, [401] * 5)
            # Now even the right password is refused until the lock expires.
            r = c.post(V1 + "/auth/login", {"username": "admin",
                                            "password": server.passwords["admin"]})
            self.assertEqual(r.status, 429)
            self.assertIn("分钟", r.json()["error"]["message"])
            self.assertTrue(r.header("Retry-After"))
        finally:
            server.stop()


class LoginFlood(unittest.TestCase):
    """Password hashing (Argon2id, a third of a second) runs on a small pool of its own: a flood
    of failing logins is refused beyond that pool's room, before any hashing, and the rest of
    the API keeps answering. Its own server: the flood must not lock out other tests."""

    def flood(self, server, addresses, each=1):
        """Sends len(addresses) * each failing logins at once, each on its own connection, from
        the given client addresses (X-Forwarded-For; the server trusts its proxy here)."""
        import threading
        import uuid
        results = []
        lock = threading.Lock()
        start = threading.Barrier(len(addresses) * each)

        def one(address):
            c = server.client()
            start.wait()
            r = c.post(V1 + "/auth/login",
                       {"username": "nobody-" + uuid.uuid4().hex[:12], "password": "wrong-password"},
                       headers={"X-Forwarded-For": address})
            with lock:
                results.append(r)

        threads = [threading.Thread(target=one, args=(a,)) for a in addresses for _ in range(each)]
        for t in threads:
            t.start()
        return threads, results

    def test_a_flood_of_failing_logins_is_refused_beyond_the_hash_pool_and_the_api_answers(self):
        # At the shipped cost (the test run's is cheaper): the pool must stay busy while the
        # flood arrives.
        server = Server(demo=False, serve_args=["--trust-proxy", "--hash-threads", "1",
                                                "--hash-queue", "4", "--hash-per-address", "2"],
                        env={"XJ_PASSWORD_MEMORY_MIB": "64"})
        try:
            admin = server.login("admin")
            # 24 at once from one address: two may hash, the rest are refused for that address.
            threads, results = self.flood(server, ["203.0.113.7"], each=24)
            during = admin.get(V1 + "/sessions")  # answered while the flood is being hashed
            for t in threads:
                t.join()
            self.assertEqual(during.status, 200, during)
            statuses = sorted(r.status for r in results)
            self.assertEqual(len(statuses), 24)
            self.assertTrue(set(statuses) <= {401, 429}, statuses)
            refused = [r for r in results if r.status == 429]
            self.assertGreaterEqual(len(refused), 12, statuses)  # most: hashes take a while
            for r in refused:
                self.assertEqual(r.header("Retry-After"), "2")
                self.assertEqual(r.json()["error"]["code"], "too_many_requests")
                self.assertIn("此地址", r.json()["error"]["message"])  # zh-CN by default
            # 32 at once from 32 addresses: the pool as a whole is full.
            threads, results = self.flood(server, [f"198.51.100.{i}" for i in range(1, 33)])
            during = admin.get(V1 + "/sessions")
            for t in threads:
                t.join()
            self.assertEqual(during.status, 200, during)
            statuses = sorted(r.status for r in results)
            self.assertTrue(set(statuses) <= {401, 429}, statuses)
            busy = [r for r in results if r.status == 429]
            self.assertGreaterEqual(len(busy), 16, statuses)
            self.assertTrue(all("服务器正忙" in r.json()["error"]["message"] for r in busy), busy[:1])
            # Once the flood has passed, the right password logs in as before.
            self.assertEqual(server.client().post(V1 + "/auth/login", {
                "username": "admin", "password": server.passwords["admin"]}).status, 200)
            self.assertIsNone(server.proc.poll())
        finally:
            server.stop()


class FailedLogins(unittest.TestCase):
    """Its own server, with room for 3 failed logins of unknown names per window."""

    def test_unknown_names_are_logged_for_the_top_admins_boundedly(self):
        server = Server(demo=False, serve_args=["--login-audit-limit", "3"])
        try:
            admin = server.login("admin")
            root = admin.get(V1 + "/organisations").json()["items"][0]["id"]
            league = admin.post(V1 + "/organisations", {
                "name": "包头市总工会", "parent_id": root, "level": "league",
                "region_code": "150200"}).json()["id"]
            r = admin.post(V1 + "/accounts", {
                "username": "league_admin", "display_name": "盟市管理员", "role": "admin",
                "organisation_id": league, "password": "League-admin-2022"})
            self.assertEqual(r.status, 201, r)
            server.passwords["league_admin"] = "League-admin-2022"
            anonymous = server.client()
            # 55 bytes (the route refuses more than 64 before any check), 35 characters.
            for name in ["ghost" + "王" * 10 + "x" * 20, "nobody1", "nobody2", "nobody3",
                         "nobody4"]:
                r = anonymous.post(V1 + "/auth/login", {"username": name, "password": "x" * 12})
                self.assertEqual(r.status, 401, r)
            log = admin.get(V1 + "/audit?entity=account&page_size=50").json()["items"]
            failed = [e for e in log if e["action"] == "login_failed"]
            # Three recorded (the limit), newest first, then one entry saying the rest were not.
            self.assertEqual([e["detail"] for e in failed], ["nobody2", "nobody1",
                                                             "ghost" + "王" * 10 + "x" * 17])
            for e in failed:
                self.assertIsNone(e["account_id"])
                self.assertEqual(e["username"], "")
                self.assertEqual(e["address"], "127.0.0.1")
            capped = [e for e in log if e["action"] == "login_failed_capped"]
            self.assertEqual(len(capped), 1, log)
            # Nobody's organisation owns an unknown name: an admin below the top does not see it.
            league_log = server.login("league_admin").get(V1 + "/audit?page_size=50").json()
            self.assertFalse([e for e in league_log["items"] if e["account_id"] is None], league_log)
        finally:
            server.stop()


class Tokens(unittest.TestCase):
    """Bearer tokens: listed without the secret, revoked by their owner and by admins in scope
    only, and ended for good by a password change (own or reset) and by disabling the account."""

    FIELDS = {"id", "account_id", "name", "created_at", "expires_at", "last_used_at"}
    made = 0

    def account(self):
        """A fresh requester of 包头稀土新材料公司工会 (in baotou's scope), logged in."""
        Tokens.made += 1
        name = f"token_owner_{Tokens.made}"
        r = SERVER.login("admin").post(V1 + "/accounts", {
            "username": name, "display_name": "令牌用户", "role": "requester",
            "organisation_id": IDS["rare_earth"], "password": "Token-owner-2022"})
        self.assertEqual(r.status, 201, r)
        SERVER.passwords[name] = "Token-owner-2022"
        return name, r.json()["id"], SERVER.login(name)

    def token(self, username, name="脚本"):
        out = SERVER.cli("token", "create", username, "--name", name)
        self.assertEqual(out.returncode, 0, out.stderr)
        c = SERVER.client()
        c.bearer = out.stdout.strip()
        self.assertEqual(c.get(V1 + "/auth/me").status, 200)
        return c

    def test_own_tokens_are_listed_without_the_secret_and_revoked_one_by_one(self):
        import hashlib
        username, _, owner = self.account()
        first = self.token(username, "报表脚本")
        second = self.token(username, "同步")
        r = owner.get(V1 + "/auth/tokens")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        self.assertEqual([t["name"] for t in items], ["同步", "报表脚本"])
        for t in items:
            self.assertEqual(set(t), self.FIELDS)
            self.assertIsNone(t["expires_at"])
            self.assertIsNotNone(t["last_used_at"])  # each was used once above
        for c in (first, second):
            self.assertNotIn(c.bearer, r.body.decode())
            digest = hashlib.blake2b(c.bearer.encode(), digest_size=32).hexdigest()
            self.assertNotIn(digest, r.body.decode())
        self.assertEqual(second.get(V1 + "/auth/tokens").json()["items"], items)  # by bearer too
        gone = next(t for t in items if t["name"] == "报表脚本")
        self.assertEqual(owner.request("DELETE", f"{V1}/auth/tokens/{gone['id']}").status, 204)
        self.assertEqual(first.get(V1 + "/auth/me").status, 401)
        self.assertEqual(second.get(V1 + "/auth/me").status, 200)
        self.assertEqual(owner.request("DELETE", f"{V1}/auth/tokens/{gone['id']}").status, 404)
        log = SERVER.login("admin").get(
            f"{V1}/audit?entity=api_token&entity_id={gone['id']}").json()["items"]
        self.assertEqual([e["action"] for e in log], ["token_revoke", "token_create"])
        # Someone else's token is not one's own to revoke.
        other_name, _, _ = self.account()
        self.token(other_name)
        theirs = SERVER.login("admin").get(
            f"{V1}/accounts/{self.account_id(other_name)}/tokens").json()["items"][0]
        self.assertEqual(owner.request("DELETE", f"{V1}/auth/tokens/{theirs['id']}").status, 404)

    def account_id(self, username):
        return find(SERVER.login("admin"), V1 + "/accounts", username=username)["id"]

    def test_changing_ones_password_ends_every_token(self):
        username, _, owner = self.account()
        c = self.token(username)
        r = owner.post(V1 + "/auth/password", {"current_password": "Token-owner-2022",
                                               "new_password": "Token-owner-2023"})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)
        SERVER.passwords[username] = "Token-owner-2023"
        self.assertEqual(SERVER.login(username).get(V1 + "/auth/tokens").json()["items"], [])

    def test_a_password_reset_ends_every_token(self):
        username, _, _ = self.account()
        c = self.token(username)
        r = SERVER.cli("user", "passwd", username, "--password-stdin", stdin="Token-reset-2023\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)

    def test_disabling_ends_tokens_and_enabling_again_does_not_revive_them(self):
        username, account, _ = self.account()
        c = self.token(username)
        admin = SERVER.login("admin")
        self.assertEqual(admin.patch(f"{V1}/accounts/{account}", {"active": False}).status, 200)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)
        self.assertEqual(admin.patch(f"{V1}/accounts/{account}", {"active": True}).status, 200)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)
        self.assertEqual(admin.get(f"{V1}/accounts/{account}/tokens").json()["items"], [])

    def test_admins_manage_the_tokens_of_accounts_in_their_scope_only(self):
        username, account, _ = self.account()
        c = self.token(username)
        admin = SERVER.login("admin")
        r = admin.post(V1 + "/accounts", {
            "username": f"wuhai_admin_{Tokens.made}", "display_name": "乌海管理员",
            "role": "admin", "organisation_id": IDS["wuhai"], "password": "Wuhai-admin-2022"})
        self.assertEqual(r.status, 201, r)
        SERVER.passwords[f"wuhai_admin_{Tokens.made}"] = "Wuhai-admin-2022"
        far = SERVER.login(f"wuhai_admin_{Tokens.made}")
        listed = admin.get(f"{V1}/accounts/{account}/tokens").json()["items"]
        self.assertEqual(len(listed), 1)
        path = f"{V1}/accounts/{account}/tokens/{listed[0]['id']}"
        self.assertEqual(far.get(f"{V1}/accounts/{account}/tokens").status, 404)
        self.assertEqual(far.request("DELETE", path).status, 404)
        self.assertEqual(SERVER.login("baotou").request("DELETE", path).status, 403)  # organiser
        self.assertEqual(c.get(V1 + "/auth/me").status, 200)
        self.assertEqual(admin.request("DELETE", f"{V1}/accounts/{IDS['admin_account']}/tokens/"
                                                 f"{listed[0]['id']}").status, 404)
        self.assertEqual(admin.request("DELETE", path).status, 204)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)

    def test_the_command_line_lists_and_revokes(self):
        username, _, _ = self.account()
        c = self.token(username, "cli-listed")
        out = SERVER.cli("token", "list", username)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("cli-listed", out.stdout)
        self.assertNotIn(c.bearer, out.stdout)
        token_id = out.stdout.splitlines()[1].split("\t")[0]
        out = SERVER.cli("token", "revoke", token_id)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)
        self.assertEqual(SERVER.cli("token", "revoke", token_id).returncode, 1)
        self.assertEqual(SERVER.cli("token", "list", "nobody_at_all").returncode, 1)


class BadInput(unittest.TestCase):
    def setUp(self):
        self.c = SERVER.login("organiser")
        self.admin = SERVER.login("admin")

    def counts(self):
        return (self.admin.get(V1 + "/lecturers?page_size=1").json()["total"],
                self.admin.get(V1 + "/sessions?page_size=1").json()["total"],
                self.admin.get(V1 + "/organisations?page_size=1").json()["total"])

    def check(self, response, status, code, field=None):
        self.assertEqual(response.status, status, response)
        body = response.json()
        self.assertEqual(body["error"]["code"], code)
        self.assertTrue(body["error"]["message"])
        if field is not None:
            self.assertEqual(body["error"]["field"], field)

    def oversized_post(self, path):
        """Announces a 2 MiB body; the server answers 413 without waiting for it."""
        import socket
        with socket.create_connection(("127.0.0.1", SERVER.port), timeout=10) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nCookie: {self.c.cookie}\r\n"
                         f"X-CSRF-Token: {self.c.csrf}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {2 << 20}\r\n\r\n{{\"name\": \"".encode())
            data = b""
            while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        from harness import Response
        return Response(status, [], body)

    def test_each_kind_of_bad_input_gets_its_own_4xx_and_changes_nothing(self):
        before = self.counts()
        post = V1 + "/lecturers"
        self.check(self.c.post(post, raw=b'{"name": "x",'), 400, "bad_request")
        self.check(self.c.post(post, raw=b'[1, 2]'), 400, "bad_request")
        self.check(self.c.post(post, raw='{"name": "王'.encode() + b'\xff"}'), 400, "bad_request")
        self.check(self.c.post(post, {**lecturer_body(IDS["root"]), "name": 42}), 400,
                   "bad_request", "name")
        self.check(self.c.post(post, {**lecturer_body(IDS["root"]), "salary": 1}), 400,
                   "bad_request", "salary")
        self.check(self.c.post(post, {**lecturer_body(IDS["root"]),
                                      "unavailable": [{"from": "2022-12-01", "to": 5}]}),
                   400, "bad_request", "unavailable[0].to")
        self.check(self.oversized_post(post), 413, "payload_too_large")
        self.check(self.c.get(V1 + "/no-such-thing"), 404, "not_found")
        r = self.c.request("DELETE", V1 + "/lecturers")
        self.check(r, 405, "method_not_allowed")
        self.assertIn("GET", r.header("Allow"))
        self.check(self.c.get(V1 + "/sessions?page_size=1000"), 400, "bad_request", "page_size")
        self.check(self.c.get(V1 + "/sessions?date_from=yesterday"), 400, "bad_request",
                   "date_from")
        self.check(self.c.get(V1 + "/lecturers/abc"), 404, "not_found")
        self.assertEqual(self.counts(), before)

    def test_a_query_value_that_is_not_utf8_is_a_400_naming_the_parameter(self):
        # Found by the API fuzzer: PostgreSQL answered 500, and /orders echoed the bytes into
        # a JSON body that was then not UTF-8 itself.
        for path, field in [("/sessions?q=%ff%fe", "q"), ("/orders?state=%c0%80", "state"),
                            ("/orders?region_code=%ed%a0%80", "region_code"),
                            ("/accounts?q=%e7%8e", "q"), ("/regions?parent=%ff", "parent")]:
            r = self.c.get(V1 + path)
            self.check(r, 400, "bad_request", field)

    def test_validation_returns_every_field_error_at_once(self):
        before = self.counts()
        r = self.c.post(V1 + "/sessions", session_body(
            IDS["rare_earth"], IDS["province_lecturer"], date="2023-03-01", title="",
            audience_offline=-5, format="hybrid", region_code="999999",
            audience_group="astronauts"))
        self.assertEqual(r.status, 422, r)
        fields = {e["field"] for e in r.json()["errors"]}
        self.assertEqual(fields, {"title", "audience_offline", "branches", "region_code",
                                  "audience_group", "date"})
        self.assertEqual(self.counts(), before)

    def test_length_is_counted_in_characters(self):
        ok = self.c.post(V1 + "/lecturers", lecturer_body(IDS["root"], "王" * 50))
        self.assertEqual(ok.status, 201, ok)
        bad = self.c.post(V1 + "/lecturers", lecturer_body(IDS["root"], "王" * 51))
        self.assertEqual(bad.status, 422)
        self.assertEqual(bad.json()["errors"][0]["field"], "name")
        self.assertIn("50", bad.json()["errors"][0]["message"])

    def test_a_tour_day_refusal_names_the_item_its_field_is_in(self):
        # Found by the API fuzzer: the reader's errors named "online_viewers", not which session.
        before = self.counts()
        good = session_body(IDS["rare_earth"], IDS["province_lecturer"])
        r = self.c.post(V1 + "/sessions/batch",
                        {"sessions": [good, dict(good, online_viewers="many")]})
        self.check(r, 400, "bad_request", "sessions[1].online_viewers")
        for broken, field in [({"format": "outdoor"}, "sessions[1].format"),
                              ({"source": "ordered"}, "sessions[1].source")]:
            r = self.c.post(V1 + "/sessions/batch", {"sessions": [good, dict(good, **broken)]})
            self.assertEqual(r.status, 422, r)
            fields = [e["field"] for e in r.json()["errors"]]
            self.assertIn(field, fields)
            self.assertTrue(all(f.startswith("sessions[1].") for f in fields), fields)
        r = self.c.post(V1 + "/sessions/batch", {"sessions": [good], "day": "2022-12-01"})
        self.check(r, 400, "bad_request", "day")
        self.assertEqual(self.counts(), before)

    def test_a_tour_day_is_all_or_nothing(self):
        before = self.counts()
        good = session_body(IDS["rare_earth"], IDS["province_lecturer"])
        bad = session_body(IDS["rare_earth"], IDS["province_lecturer"], venue="")
        r = self.c.post(V1 + "/sessions/batch", {"sessions": [good, bad]})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["errors"][0]["field"], "sessions[1].venue")
        self.assertEqual(self.counts(), before)
        r = self.c.post(V1 + "/sessions/batch", {"sessions": [good, dict(good, venue="第二站")]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["total"], 2)


class Records(unittest.TestCase):
    def test_lists_of_people_sort_by_pinyin(self):
        from_api = [l["name"] for l in SERVER.login("admin").get(
            V1 + "/lecturers?page_size=200").json()["items"]]
        # 阿/敖 (a, ao) come before 巴/白 (ba, bai), which come before 赵/朱 (zh).
        first_z = next(i for i, n in enumerate(from_api) if n[0] in "赵张周朱")
        first_b = next(i for i, n in enumerate(from_api) if n[0] in "巴白")
        self.assertLess(first_b, first_z)
        self.assertEqual(from_api[0][0], "敖")

    def test_hybrid_totals_add_branches_once(self):
        admin = SERVER.login("admin")
        hybrid = admin.get(V1 + "/sessions?format=hybrid&page_size=1").json()["items"][0]
        total = hybrid["audience_offline"] + hybrid["online_viewers"] + sum(
            b["headcount"] for b in hybrid["branches"])
        self.assertEqual(hybrid["total_audience"], total)
        self.assertGreaterEqual(len(hybrid["branches"]), 2)

    def test_create_read_update_a_lecturer_and_the_audit_log_records_it(self):
        c = SERVER.login("organiser")
        created = c.post(V1 + "/lecturers", {
            **lecturer_body(IDS["root"], "  其木格  "), "languages": ["mn", "zh"],
            "honours": ["北疆工匠"], "unavailable": [{"from": "2022-12-01", "to": "2022-12-02",
                                                      "reason": "培训"}]})
        self.assertEqual(created.status, 201, created)
        lecturer = created.json()
        self.assertEqual(lecturer["name"], "其木格")
        got = c.get(f"{V1}/lecturers/{lecturer['id']}").json()
        self.assertEqual(got["unavailable"][0]["reason"], "培训")
        patched = c.patch(f"{V1}/lecturers/{lecturer['id']}", {"phone": "13900000000"})
        self.assertEqual(patched.status, 200, patched)
        self.assertEqual(patched.json()["name"], "其木格")
        self.assertEqual(patched.json()["phone"], "13900000000")
        log = SERVER.login("admin").get(
            f"{V1}/audit?entity=lecturer&entity_id={lecturer['id']}").json()["items"]
        self.assertEqual([e["action"] for e in log], ["update", "create"])
        self.assertEqual(log[0]["username"], "organiser")

    def test_filters_narrow_the_sessions_list(self):
        admin = SERVER.login("admin")
        all_total = admin.get(V1 + "/sessions?page_size=1").json()["total"]
        self.assertGreaterEqual(all_total, 400)
        # Each filter keeps some sessions and drops others (an empty answer would pass the
        # checks on its items).
        baotou = admin.get(V1 + "/sessions?region_code=150200&page_size=200").json()
        self.assertTrue(baotou["items"])
        self.assertTrue(all(s["region_code"].startswith("1502") for s in baotou["items"]))
        self.assertLess(baotou["total"], all_total)
        december = admin.get(V1 + "/sessions?date_from=2022-12-01&date_to=2022-12-31"
                                  "&page_size=200").json()
        self.assertTrue(december["items"])
        self.assertTrue(all(s["date"].startswith("2022-12") for s in december["items"]))
        self.assertLess(december["total"], all_total)
        online = admin.get(V1 + "/sessions?format=online&page_size=5").json()
        self.assertTrue(online["items"])
        self.assertTrue(all(s["format"] == "online" for s in online["items"]))
        self.assertLess(online["total"], all_total)


# --- The scope matrix ------------------------------------------------------------------------
# Every route × every role. Each row: method, route pattern, concrete path (or a function of the
# ids), body (or None), and the expected status per role. "in" and "out" are records inside or
# outside the caller's scope: baotou's scope is 包头市总工会; requester's is its own union;
# lecturer's is its own lecturer record and sessions.

_CARE_SERIAL = [0]


def care_person(ids, who):
    """A person helped by Wuhai with a fresh, valid GB 11643 number."""
    _CARE_SERIAL[0] += 1
    first = f"15030219750101{_CARE_SERIAL[0] % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(a) * w for a, w in zip(first, weights)) % 11]
    return {"programme_id": ids["programme"], "organisation_id": ids["wuhai"], "amount_fen": 1,
            "aid_kind": "cash", "date": "2024-01-20", "name": "矩阵受助人" + who,
            "id_number": first + check, "category": "hardship_worker"}


def rows():
    i = IDS
    o = IDS["wuhai_order"]
    return [
        ("GET", "/api/v1/health", "/health", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/auth/me", "/auth/me", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/regions", "/regions?parent=150000", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/dictionaries", "/dictionaries", None, dict.fromkeys(ROLES, 200)),
        ("POST", "/api/v1/dictionaries", "/dictionaries",
         lambda u: {"kind": "topic", "code": "t_" + u, "name": "测试主题" + u},
         dict(admin=201, organiser=403, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/dictionaries/{id}", f"/dictionaries/{i['dictionary_entry']}",
         {"sort_order": 5},
         dict(admin=200, organiser=403, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/organisations", "/organisations", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/organisations/{id}", f"/organisations/{i['wuhai']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=200, requester=404, viewer=200)),
        ("GET", "/api/v1/organisations/{id}", f"/organisations/{i['rare_earth']}", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=200, requester=200, viewer=200)),
        ("POST", "/api/v1/organisations", "/organisations",
         lambda u: {"name": "新建基层工会" + u, "parent_id": i["baotou"], "level": "grassroots",
                    "region_code": "150203", "industry": "C"},
         dict(admin=201, organiser=201, baotou=201, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/organisations", "/organisations",  # a parent out of scope
         lambda u: {"name": "越权工会" + u, "parent_id": i["wuhai"], "level": "grassroots",
                    "region_code": "150300"},
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/organisations/{id}", f"/organisations/{i['wuhai_union']}",
         {"address": "乌海市海勃湾区"},
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/organisations/{id}", f"/organisations/{i['rare_earth']}",
         {"parent_id": i["wuhai"]},  # moving a record out of one's own scope (refusals only:
         dict(baotou=422, lecturer=403, requester=403, viewer=403)),  # a move would change the data)
        ("GET", "/api/v1/lecturers", "/lecturers", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=200, requester=403, viewer=200)),
        ("GET", "/api/v1/lecturers/{id}", f"/lecturers/{i['province_lecturer']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=403, viewer=200)),
        ("GET", "/api/v1/lecturers/{id}", f"/lecturers/{i['own_lecturer']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=200, requester=403, viewer=200)),
        ("POST", "/api/v1/lecturers", "/lecturers", lambda u: lecturer_body(i["baotou"], "新宣讲员"),
         dict(admin=201, organiser=201, baotou=201, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/lecturers", "/lecturers", lambda u: lecturer_body(i["wuhai"], "越权宣讲员"),
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/lecturers/{id}", f"/lecturers/{i['province_lecturer']}",
         {"bio": "更新简介"},
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/lecturers/{id}", f"/lecturers/{i['own_lecturer']}",
         {"unavailable": [{"from": "2022-12-01", "to": "2022-12-05", "reason": "外出学习"}]},
         dict(admin=200, organiser=200, baotou=404, lecturer=200, requester=403, viewer=403)),
        ("PATCH", "/api/v1/lecturers/{id}", f"/lecturers/{i['own_lecturer']}",
         lambda u: {"bio": "简介由 " + u + " 修改"},
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/lecturers/{id}", f"/lecturers/{i['baotou_lecturer']}",
         {"organisation_id": i["wuhai"]},
         dict(baotou=422, lecturer=403, requester=403, viewer=403)),
        ("PUT", "/api/v1/lecturers/{id}/photo", f"/lecturers/{i['own_lecturer']}/photo", b"GIF89a",
         dict(admin=422, organiser=422, baotou=404, lecturer=422, requester=403, viewer=403)),
        ("GET", "/api/v1/lecturers/{id}/photo", f"/lecturers/{i['own_lecturer']}/photo", None,
         dict(admin=404, organiser=404, baotou=404, lecturer=404, requester=403, viewer=404)),
        ("DELETE", "/api/v1/lecturers/{id}/photo", f"/lecturers/{i['own_lecturer']}/photo", None,
         dict(admin=404, organiser=404, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("GET", "/api/v1/campaigns", "/campaigns", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/campaigns/{id}", f"/campaigns/{i['campaign']}", None,
         dict.fromkeys(ROLES, 200)),
        ("POST", "/api/v1/campaigns", "/campaigns",
         lambda u: {"title": "包头市职工宣讲月", "owner_organisation_id": i["baotou"],
                    "start_date": "2023-03-01", "end_date": "2023-03-31"},
         dict(admin=201, organiser=201, baotou=201, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/campaigns/{id}", f"/campaigns/{i['campaign']}",
         {"description": "更新说明"},
         dict(admin=200, organiser=200, baotou=403, lecturer=403, requester=403, viewer=403)),
        # A stale version: the writers in scope reach the version check (409), nothing closes.
        ("POST", "/api/v1/campaigns/{id}/close", f"/campaigns/{i['campaign']}/close",
         {"version": 99999},
         dict(admin=409, organiser=409, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/campaigns/{id}/reopen", f"/campaigns/{i['campaign']}/reopen",
         {"version": 99999},
         dict(admin=409, organiser=409, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/sessions", "/sessions", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/sessions/{id}", f"/sessions/{i['wuhai_session']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=404, viewer=200)),
        ("GET", "/api/v1/sessions/{id}", f"/sessions/{i['own_session']}", None,
         dict(admin=200, organiser=200, lecturer=200, viewer=200, baotou=None, requester=None)),
        ("POST", "/api/v1/sessions", "/sessions",
         lambda u: session_body(i["rare_earth"], i["own_lecturer"]),
         dict(admin=201, organiser=201, baotou=422, lecturer=201, requester=403, viewer=403)),
        ("POST", "/api/v1/sessions", "/sessions",
         lambda u: session_body(i["rare_earth"], i["baotou_lecturer"]),
         dict(admin=201, organiser=201, baotou=201, lecturer=422, requester=403, viewer=403)),
        ("POST", "/api/v1/sessions/batch", "/sessions/batch",
         lambda u: {"sessions": [session_body(i["wuhai_union"], i["own_lecturer"])]},
         dict(admin=201, organiser=201, baotou=422, lecturer=201, requester=403, viewer=403)),
        ("PATCH", "/api/v1/sessions/{id}", f"/sessions/{i['wuhai_session']}",
         lambda u: {"summary": "补充概要", "version": session_version(i["wuhai_session"])},
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("PATCH", "/api/v1/sessions/{id}", f"/sessions/{i['rare_earth_session']}",
         lambda u: {"host_organisation_id": i["wuhai_union"], "region_code": "150300",
                    "version": session_version(i["rare_earth_session"])},
         dict(baotou=422, requester=403, viewer=403)),
        ("GET", "/api/v1/accounts", "/accounts", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/accounts/{id}", f"/accounts/{i['admin_account']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/accounts", "/accounts",
         lambda u: {"username": "liaison_" + u, "display_name": "联络员", "role": "requester",
                    "organisation_id": i["rare_earth"], "password": "Liaison-pass-2022"},
         dict(admin=201, organiser=201, baotou=201, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/accounts", "/accounts",  # granting a role above one's own
         lambda u: {"username": "boss_" + u, "display_name": "越权", "role": "admin",
                    "organisation_id": i["rare_earth"], "password": "Boss-pass-2022!"},
         dict(admin=201, organiser=422, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/accounts", "/accounts",  # an account outside one's scope
         lambda u: {"username": "far_" + u, "display_name": "越权", "role": "viewer",
                    "organisation_id": i["wuhai"], "password": "Far-away-pass-22"},
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/accounts/{id}", f"/accounts/{i['admin_account']}",
         {"display_name": "改名"},
         dict(admin=200, organiser=403, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("PATCH", "/api/v1/accounts/{id}", f"/accounts/{i['requester_account']}",
         {"display_name": "包头稀土新材料公司工会联络员"},
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/orders", "/orders", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/exports/{kind}", "/exports/sessions?format=csv", None,
         dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/exports/{kind}", "/exports/lecturers",
         None, dict(admin=200, organiser=200, baotou=200, lecturer=200, requester=403, viewer=200)),
        ("GET", "/api/v1/exports/{kind}", f"/exports/feedback?session_id={i['wuhai_session']}",
         None, dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=404, viewer=200)),
        ("POST", "/api/v1/orders", "/orders",
         lambda u: order_body(i["rare_earth"], i["order_campaign"], region_code="150203"),
         dict(admin=201, organiser=201, baotou=201, lecturer=403, requester=201, viewer=403)),
        ("POST", "/api/v1/orders", "/orders",  # for a union outside one's scope
         lambda u: order_body(i["wuhai_union"], i["order_campaign"]),
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=422, viewer=403)),
        ("GET", "/api/v1/orders/{id}", f"/orders/{o}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=404, viewer=200)),
        ("GET", "/api/v1/orders/{id}/history", f"/orders/{o}/history", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=404, viewer=200)),
        ("PATCH", "/api/v1/orders/{id}", f"/orders/{o}", {"version": 0, "note": "过期的修改"},
         dict(admin=409, organiser=409, baotou=404, lecturer=403, requester=404, viewer=403)),
        ("POST", "/api/v1/orders/{id}/dispatch-check", f"/orders/{o}/dispatch-check",
         {"version": 1, "lecturer_id": i["province_lecturer"], "date": "2051-01-19"},
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/orders/{id}/candidates", f"/orders/{o}/candidates", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/orders/{id}/dispatch", f"/orders/{o}/dispatch",
         {"version": 0, "lecturer_id": i["province_lecturer"], "date": "2051-01-19"},
         dict(admin=409, organiser=409, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/orders/{id}/accept", f"/orders/{o}/accept", {"version": 1},
         dict(admin=409, organiser=409, baotou=404, lecturer=404, requester=404, viewer=403)),
        ("POST", "/api/v1/orders/{id}/decline", f"/orders/{o}/decline",
         {"version": 1, "reason": "时间冲突"},
         dict(admin=409, organiser=409, baotou=404, lecturer=404, requester=404, viewer=403)),
        ("POST", "/api/v1/orders/{id}/deliver", f"/orders/{o}/deliver", {"version": 1},
         dict(admin=409, organiser=409, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("POST", "/api/v1/orders/{id}/rate", f"/orders/{o}/rate", {"version": 1, "rating": 5},
         dict(admin=409, organiser=403, baotou=404, lecturer=404, requester=404, viewer=403)),
        ("POST", "/api/v1/orders/{id}/cancel", f"/orders/{o}/cancel",
         {"version": 0, "reason": "过期的撤销"},
         dict(admin=409, organiser=409, baotou=404, lecturer=404, requester=404, viewer=403)),
        ("POST", "/api/v1/campaigns/{id}/dispatch-plans", f"/campaigns/{i['campaign']}/dispatch-plans",
         {"time_limit_seconds": 0},  # refusals only: the matrix does not run the solver per role
         dict(admin=422, organiser=422, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/dispatch-plans/{id}", f"/dispatch-plans/{i['plan']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/dispatch-plans/{id}/apply", f"/dispatch-plans/{i['plan']}/apply",
         {"assignments": []},
         dict(admin=422, organiser=422, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/lecturers/{id}/agenda", f"/lecturers/{i['own_lecturer']}/agenda", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=200, requester=403, viewer=200)),
        ("GET", "/api/v1/lecturers/{id}/scorecard", f"/lecturers/{i['own_lecturer']}/scorecard",
         None, dict(admin=200, organiser=200, baotou=404, lecturer=200, requester=403, viewer=200)),
        ("GET", "/api/v1/lecturers/{id}/scorecard",
         f"/lecturers/{i['baotou_lecturer']}/scorecard", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=404, requester=403, viewer=200)),
        ("GET", "/api/v1/lecturers/scorecards", "/lecturers/scorecards?sort=sessions", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=200, requester=403, viewer=200)),
        ("POST", "/api/v1/lecturers/{id}/calendar-link", f"/lecturers/{i['own_lecturer']}/calendar-link",
         {}, dict(admin=403, organiser=403, baotou=404, lecturer=200, requester=404, viewer=403)),
        ("GET", "/api/v1/calendar/{token}", "/calendar/" + "0" * 64 + ".ics", None,
         dict.fromkeys(ROLES, 404)),
        ("POST", "/api/v1/sessions/{id}/feedback-link", f"/sessions/{i['wuhai_session']}/feedback-link",
         {}, dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("GET", "/api/v1/sessions/{id}/feedback-link", f"/sessions/{i['wuhai_session']}/feedback-link",
         None, dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=403, viewer=403)),
        # The 2022 session's form has closed: no code to print (410), and an empty reason
        # reopens nothing.
        ("GET", "/api/v1/sessions/{id}/feedback-link/qr",
         f"/sessions/{i['wuhai_session']}/feedback-link/qr?format=svg", None,
         dict(admin=410, organiser=410, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("POST", "/api/v1/sessions/{id}/feedback-link/reopen",
         f"/sessions/{i['wuhai_session']}/feedback-link/reopen", {"reason": ""},
         dict(admin=422, organiser=422, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("GET", "/api/v1/sessions/{id}/feedback", f"/sessions/{i['wuhai_session']}/feedback", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=404, viewer=200)),
        ("POST", "/api/v1/sessions/{id}/feedback", f"/sessions/{i['wuhai_session']}/feedback",
         {"rating": 4, "comment": "现场反馈"},
         dict(admin=201, organiser=201, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("PATCH", "/api/v1/sessions/{id}/feedback/{id}",
         f"/sessions/{i['wuhai_session']}/feedback/999999", {"quote": True},
         dict(admin=404, organiser=404, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("GET", "/api/v1/campaigns/{id}/statistics", f"/campaigns/{i['campaign']}/statistics", None,
         dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/statistics", f"/statistics?campaign_ids={i['campaign']}", None,
         dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/statistics/coverage", f"/statistics/coverage?campaign_ids={i['campaign']}",
         None, dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=200, viewer=200)),
        ("GET", "/api/v1/statistics/coverage", f"/statistics/coverage?organisation_id={i['wuhai']}",
         None, dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=404, viewer=200)),
        ("GET", "/api/v1/statistics/coverage/fill",
         "/statistics/coverage/fill?region_code=150200&from=2022-11-01&to=2022-11-30", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=200, viewer=200)),
        ("GET", "/api/v1/statistics/highlights",
         f"/statistics/highlights?campaign_ids={i['campaign']}", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/feedback/{token}", "/feedback/" + "0" * 64, None,
         dict.fromkeys(ROLES, 404)),
        ("POST", "/api/v1/feedback/{token}", "/feedback/" + "0" * 64, {"rating": 5},
         dict.fromkeys(ROLES, 404)),
        ("POST", "/api/v1/feedback/{token}/sign-in", "/feedback/" + "0" * 64 + "/sign-in", None,
         dict.fromkeys(ROLES, 404)),
        ("POST", "/api/v1/sessions/{id}/photos", f"/sessions/{i['wuhai_session']}/photos",
         None,  # an empty body: refusals only, nothing is stored
         dict(admin=422, organiser=422, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("GET", "/api/v1/sessions/{id}/photos", f"/sessions/{i['wuhai_session']}/photos", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=404, requester=404, viewer=200)),
        ("DELETE", "/api/v1/sessions/{id}/photos/{id}", f"/sessions/{i['wuhai_session']}/photos/999999",
         None, dict(admin=404, organiser=404, baotou=404, lecturer=404, requester=403, viewer=403)),
        ("GET", "/api/v1/photos/{id}", "/photos/999999", None,
         dict(admin=404, organiser=404, baotou=404, lecturer=404, requester=404, viewer=404)),
        ("GET", "/api/v1/inbox", "/inbox", None, dict.fromkeys(ROLES, 200)),
        ("POST", "/api/v1/inbox/read", "/inbox/read", {}, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/audit", "/audit", None,
         dict(admin=200, organiser=403, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/auth/tokens", "/auth/tokens", None, dict.fromkeys(ROLES, 200)),
        ("DELETE", "/api/v1/auth/tokens/{id}", "/auth/tokens/999999", None,
         dict.fromkeys(ROLES, 404)),
        ("GET", "/api/v1/accounts/{id}/tokens", f"/accounts/{i['requester_account']}/tokens", None,
         dict(admin=200, organiser=403, baotou=403, lecturer=403, requester=200, viewer=403)),
        ("GET", "/api/v1/accounts/{id}/tokens", f"/accounts/{i['admin_account']}/tokens", None,
         dict(admin=200, organiser=403, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("DELETE", "/api/v1/accounts/{id}/tokens/{id}",
         f"/accounts/{i['requester_account']}/tokens/999999", None,
         dict(admin=404, organiser=403, baotou=403, lecturer=403, requester=404, viewer=403)),
        # Imports (import_test.py tests them in depth): a row in Wuhai, outside Baotou.
        ("GET", "/api/v1/imports/lecturers/template", "/imports/lecturers/template?format=csv",
         None, dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/imports/organisations/template",
         "/imports/organisations/template?format=xlsx", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/imports/sessions/template", "/imports/sessions/template", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/imports/lecturers", "/imports/lecturers",
         "姓名,所属组织,宣讲员类别,宣讲语言\r\n矩阵导入宣讲员,乌海市总工会,劳动模范,汉语\r\n".encode(),
         dict(admin=200, organiser=200, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/imports/organisations", "/imports/organisations",
         "名称,上级组织,级别,行政区划\r\n矩阵导入工会,乌海市总工会,基层,乌海市\r\n".encode(),
         dict(admin=200, organiser=200, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/imports/sessions", "/imports/sessions?dry_run=true",
         "日期,宣讲题目\r\n2022-12-01,表头不全\r\n".encode(),
         dict(admin=400, organiser=400, baotou=400, lecturer=403, requester=403, viewer=403)),
        # 报道导入 (sessions.write; report_import_test.py tests them in depth, the scope of accepted
        # hosts too): proposals save nothing; an empty review is refused before anything else.
        ("POST", "/api/v1/imports/reports", "/imports/reports",
         {"text": "4月9日，王丽华在乌海市总工会会议室为80余名一线职工开展宣讲。", "year": 2023},
         dict(admin=200, organiser=200, baotou=200, lecturer=200, requester=403, viewer=403)),
        ("POST", "/api/v1/imports/reports/accept", "/imports/reports/accept",
         {"text": "矩阵", "year": 2023, "proposals": []},
         dict(admin=422, organiser=422, baotou=422, lecturer=422, requester=403, viewer=403)),
        # The stored texts (sessions.read; report_import_test.py shows the subtree is kept).
        ("GET", "/api/v1/imports/reports", "/imports/reports", None, dict.fromkeys(ROLES, 200)),
        ("GET", "/api/v1/imports/reports/{id}", "/imports/reports/999999", None,
         dict.fromkeys(ROLES, 404)),
        # A session not imported from a report has no source; one out of sight is not found.
        ("GET", "/api/v1/sessions/{id}/report-source",
         f"/sessions/{i['wuhai_session']}/report-source", None, dict.fromkeys(ROLES, 404)),
        # 送温暖 (care.read: admin, organisers, viewer; care.write: admin, organisers; reveal: admin).
        ("GET", "/api/v1/programmes", "/programmes", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("POST", "/api/v1/programmes", "/programmes",
         lambda u: {"title": "包头市送温暖" + u, "owner_organisation_id": i["baotou"],
                    "start_date": "2024-01-01", "end_date": "2024-02-28", "budget_fen": 100,
                    "categories": ["hardship_worker"], "kinds": ["cash"]},
         dict(admin=201, organiser=201, baotou=201, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/programmes/{id}", f"/programmes/{i['programme']}", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("PATCH", "/api/v1/programmes/{id}", f"/programmes/{i['programme']}",
         {"description": "更新说明"},
         dict(admin=200, organiser=200, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/programmes/{id}/open", f"/programmes/{i['programme']}/open",
         {"version": 99999},
         dict(admin=409, organiser=409, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/programmes/{id}/close", f"/programmes/{i['programme']}/close",
         {"version": 99999},
         dict(admin=409, organiser=409, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/programmes/{id}/report",
         f"/programmes/{i['programme']}/report?organisation_id={i['wuhai']}", None,
         dict(admin=200, organiser=200, baotou=422, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/allocations", f"/allocations?programme_id={i['programme']}", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        # Baotou may not move the province's money to Wuhai: 422 on from_organisation_id.
        ("POST", "/api/v1/allocations", "/allocations",
         {"programme_id": i["programme"], "from_organisation_id": i["root"],
          "to_organisation_id": i["wuhai"], "amount_fen": 1},
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/disbursements", "/disbursements", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("POST", "/api/v1/disbursements", "/disbursements", lambda u: care_person(i, u),
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/disbursements/{id}", f"/disbursements/{i['wuhai_disbursement']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/disbursements/{id}/photos",
         f"/disbursements/{i['wuhai_disbursement']}/photos", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        ("POST", "/api/v1/disbursements/{id}/photos",
         f"/disbursements/{i['wuhai_disbursement']}/photos", png_bytes(),
         dict(admin=201, organiser=201, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/care-photos/{id}", f"/care-photos/{i['wuhai_care_photo']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/subsidies", "/subsidies", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("POST", "/api/v1/subsidies", "/subsidies",
         {"programme_id": i["programme"], "organisation_id": i["wuhai"], "amount_fen": 1,
          "date": "2024-01-20", "unit_name": "乌海市焦化集团", "document_no": "乌工发〔2024〕1号",
          "bank_name": "中国银行乌海分行", "bank_account": "1234567890"},
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/beneficiaries/{id}/reveal",
         f"/beneficiaries/{i['wuhai_beneficiary']}/reveal", None,
         dict(admin=200, organiser=403, baotou=403, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/ledger", f"/ledger?programme_id={i['programme']}", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/ledger/accounts/{id}/entries",
         f"/ledger/accounts/{i['wuhai_account']}/entries", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        # 电子消费券 (care.read / care.write; voucher.redeem needs an account tied to a merchant,
        # which no demo account is: admin holds the permission and is refused 403 all the same).
        ("GET", "/api/v1/vouchers/merchants", "/vouchers/merchants", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("POST", "/api/v1/vouchers/merchants", "/vouchers/merchants",
         lambda u: {"organisation_id": i["wuhai"], "name": "矩阵商户" + u},
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        # The requester's account is not of role merchant: 422 where the merchant is in scope.
        ("POST", "/api/v1/vouchers/merchants/{id}/accounts",
         f"/vouchers/merchants/{i['merchant']}/accounts", {"account_id": i["requester_account"]},
         dict(admin=422, organiser=422, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/vouchers/batches", "/vouchers/batches", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("POST", "/api/v1/vouchers/batches", "/vouchers/batches",
         {"programme_id": i["programme"], "organisation_id": i["wuhai"], "title": "矩阵券",
          "face_value_fen": 1, "count": 1, "valid_from": "2024-01-01", "valid_to": "2099-12-31",
          "merchant_ids": [i["merchant"]]},
         dict(admin=201, organiser=201, baotou=422, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/vouchers/batches/{id}", f"/vouchers/batches/{i['voucher_batch']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        # The first issues; the same person again is 409.
        ("POST", "/api/v1/vouchers/batches/{id}/issue",
         f"/vouchers/batches/{i['voucher_batch']}/issue",
         {"beneficiaries": [{"beneficiary_id": i["wuhai_beneficiary"]}]},
         dict(admin=201, organiser=409, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/vouchers/batches/{id}/vouchers",
         f"/vouchers/batches/{i['voucher_batch']}/vouchers", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/vouchers/issued/{id}", f"/vouchers/issued/{i['voucher']}", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/vouchers/issued/{id}/qr", f"/vouchers/issued/{i['voucher']}/qr", None,
         dict(admin=200, organiser=200, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("GET", "/api/v1/vouchers/redemptions", "/vouchers/redemptions", None,
         dict(admin=200, organiser=200, baotou=200, lecturer=403, requester=403, viewer=200)),
        ("GET", "/api/v1/vouchers/{token}", f"/vouchers/{i['voucher_code']}", None,
         dict.fromkeys(ROLES, 403)),
        ("POST", "/api/v1/vouchers/{token}/redeem", f"/vouchers/{i['voucher_code']}/redeem", None,
         dict.fromkeys(ROLES, 403)),
        # Corrections: the first reversal books, a second is 409; Wuhai has spent part of the
        # province's allocation, so undoing it is 409 for whoever may.
        ("POST", "/api/v1/disbursements/{id}/reverse",
         f"/disbursements/{i['reversible_disbursement']}/reverse", {"reason": "录入错误"},
         dict(admin=201, organiser=409, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/allocations/{id}/reverse",
         f"/allocations/{i['wuhai_allocation']}/reverse", {"reason": "录入错误"},
         dict(admin=409, organiser=409, baotou=404, lecturer=403, requester=403, viewer=403)),
        ("POST", "/api/v1/auth/password", "/auth/password",
         {"current_password": "wrong-password-1", "new_password": "Another-pass-2022"},
         dict.fromkeys(ROLES, 422)),
        ("POST", "/api/v1/auth/login", "/auth/login",
         lambda u: {"username": "nobody_" + u, "password": "y" * 10},
         dict.fromkeys(ROLES, 401)),
        ("POST", "/api/v1/auth/logout", "/auth/logout", None, dict.fromkeys(ROLES, 204)),
    ]


_ADMIN = []


def session_version(session_id):
    """The version a correction names: the session's current one, read as the admin."""
    if not _ADMIN:
        _ADMIN.append(SERVER.login("admin"))
    return _ADMIN[0].get(f"{V1}/sessions/{session_id}").json()["version"]


def send(client, method, path, payload):
    """A matrix row's request: JSON, or a picture sent as itself."""
    if isinstance(payload, bytes):
        return client.request(method, path, raw=payload, headers={"Content-Type": "image/png"})
    return client.request(method, path, payload)


class ScopeMatrix(unittest.TestCase):
    def test_every_route_for_every_role(self):
        failures = []
        for role in ROLES:
            c = SERVER.login(role)  # one login per role: logout is the matrix's last row
            for method, pattern, path, body, expected in rows():
                want = expected.get(role)
                if want is None:
                    continue
                payload = body(role + str(len(failures))) if callable(body) else body
                r = send(c, method, V1 + path, payload)
                if r.status != want:
                    failures.append(f"{role} {method} {path}: want {want}, got {r}")
        self.assertEqual(failures, [], "\n".join(failures))

    def test_lists_show_only_what_is_in_scope(self):
        baotou = SERVER.login("baotou")
        sessions = baotou.get(V1 + "/sessions?page_size=200").json()["items"]
        self.assertTrue(sessions)
        for s in sessions:
            self.assertTrue(s["region_code"].startswith("1502"), s)
        orgs = baotou.get(V1 + "/organisations?page_size=200").json()["items"]
        self.assertTrue(orgs)
        self.assertTrue(all(o["path"].startswith(IDS["baotou_path"]) for o in orgs))
        lecturers = baotou.get(V1 + "/lecturers?page_size=200").json()["items"]
        self.assertTrue(lecturers)
        self.assertTrue(all(l["organisation_id"] == IDS["baotou"] for l in lecturers))
        mine = SERVER.login("lecturer").get(V1 + "/sessions?page_size=200").json()["items"]
        self.assertTrue(mine)
        self.assertTrue(all(IDS["own_lecturer"] in s["lecturer_ids"] for s in mine))
        self.assertEqual(SERVER.login("lecturer").get(V1 + "/lecturers").json()["total"], 1)
        own = SERVER.login("requester").get(V1 + "/sessions?page_size=200").json()["items"]
        self.assertTrue(own)
        self.assertTrue(all(s["host_organisation_id"] == IDS["rare_earth"] for s in own))
        # Asking for another subtree by filter yields nothing, not an error that confirms it.
        r = baotou.get(f"{V1}/sessions?organisation_id={IDS['wuhai']}")
        self.assertEqual(r.json()["total"], 0)

    def test_unauthenticated_requests_get_401_everywhere_but_health_login_and_public_links(self):
        anonymous = SERVER.client()
        for method, pattern, path, body, expected in rows():
            if pattern in ("/api/v1/health", "/api/v1/auth/login") or "{token}" in pattern:
                continue  # public: the link itself is the key
            payload = body("anon") if callable(body) else body
            r = send(anonymous, method, V1 + path, payload)
            self.assertEqual(r.status, 401, f"{method} {path}: {r}")

    def test_the_matrix_and_the_openapi_document_cover_every_route(self):
        root = os.path.join(os.path.dirname(__file__), "..", "..")
        with open(os.path.join(root, "docs", "openapi.yaml"), encoding="utf-8") as f:
            doc = f.read()
        documented = set()
        path = None
        for line in doc.splitlines():
            m = re.match(r"^  (/[^:]*):\s*$", line)
            if m:
                path = re.sub(r"\{[a-z_]*id\}", "{id}", "/api/v1" + m.group(1))
                continue
            m = re.match(r"^    (get|post|patch|put|delete):", line)
            if m and path:
                documented.add((m.group(1).upper(), path))
        walked = {(m, p) for m, p, *_ in rows()}
        self.assertEqual(walked, documented)


if __name__ == "__main__":
    unittest.main()
