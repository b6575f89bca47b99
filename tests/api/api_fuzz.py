"""The API fuzzer: every route of docs/openapi.yaml, every demo role and the anonymous caller,
with bodies, query strings and path ids built from the route's own schema and then broken.

What it asserts, request by request:
- the server stays up (the process lives; /health answers after every route);
- no answer is 5xx, no connection is dropped, nothing hangs;
- a 400 or 422 caused by one wrong field names that field (`error.field` or `errors[].field`);
- a refused request (4xx) changes nothing: every table's rows hash the same before and after
  (the audit log included), and no photo file appears or goes.

Tables that a refusal may change, on purpose, and are therefore left out of the comparison:
- `login_failures`: a refused login (401) or a wrong current password counts towards the
  lockout; that counter is the refusal's whole point.
- `audit_log` for POST /auth/login only: a refused login is audited (`login_failed`) so that
  an admin sees password guessing (issue 13, finding 5).
- `data_version`: the number of committed writes (the page cache's key), which moves with
  the two above.
Nothing else: a refused request reads, and reading writes no "last used" time here.

Deterministic for a seed: one `random.Random(seed)` chooses every case, in a fixed route and
role order. Run it through tests/api/fuzz_test.py (CTest) or tests/fuzz/api_fuzz.sh (longer).
"""
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import hashlib

sys.path.insert(0, os.path.dirname(__file__))
from harness import PAST_CAMPAIGN_TITLE, Server, order_campaign, past_campaign, png_bytes  # noqa: E402

try:
    import yaml
except ImportError:  # a Python other than Debian's: use Debian's python3-yaml
    sys.path.append("/usr/lib/python3/dist-packages")
    import yaml

V1 = "/api/v1"
ROLES = ["admin", "organiser", "baotou", "lecturer", "requester", "viewer", "anonymous"]
OPENAPI = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "openapi.yaml")
# No reminder round, nor a fold of the kept sums' queue, writes while we compare.
SERVE_ARGS = ["--reminder-interval", "86400", "--fold-interval", "3600000"]
KIB64 = 64 * 1024


class Raw:
    """JSON text put into a body as it is: numbers JSON allows and Python does not print
    (1e999), escapes Python would not write (a lone surrogate), or bytes that are not UTF-8."""

    def __init__(self, data):
        self.data = data if isinstance(data, bytes) else data.encode()

    def __repr__(self):
        return f"Raw({self.data[:40]!r})"


def encode_json(value):
    raws = []

    def placeholder(v):
        if isinstance(v, Raw):
            raws.append(v.data)
            return f"__xj_raw_{len(raws) - 1}__"
        if isinstance(v, dict):
            return {k: placeholder(x) for k, x in v.items()}
        if isinstance(v, list):
            return [placeholder(x) for x in v]
        return v
    text = json.dumps(placeholder(value), ensure_ascii=False).encode("utf-8")
    for i, data in enumerate(raws):
        text = text.replace(f'"__xj_raw_{i}__"'.encode(), data)
    return text


# --- The document ----------------------------------------------------------------------------

class Route:
    def __init__(self, method, template, params, body, binary, public):
        self.method, self.template = method, template
        self.path_params = [p for p in params if p["in"] == "path"]
        self.query_params = [p for p in params if p["in"] == "query"]
        self.body = body          # the JSON body's schema (normalised), or None
        self.binary = binary      # the body is a picture
        self.public = public      # needs no login

    @property
    def name(self):
        return f"{self.method} {self.template}"


def load_routes(path=OPENAPI):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)

    def deref(node):
        while isinstance(node, dict) and "$ref" in node:
            target = doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def norm(schema):
        """The schema with its $ref followed and its allOf merged into one object schema."""
        schema = deref(schema or {})
        if "allOf" not in schema:
            return schema
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = norm(part)
            for k, v in part.items():
                if k == "properties":
                    merged.setdefault("properties", {}).update(v)
                elif k == "required":
                    merged["required"] = sorted(set(merged.get("required", [])) | set(v))
                else:
                    merged.setdefault(k, v)
        return merged

    routes = []
    for template, item in doc["paths"].items():
        common = [deref(p) for p in item.get("parameters", [])]
        for method in ("get", "post", "patch", "put", "delete"):
            op = item.get(method)
            if not op:
                continue
            params = common + [deref(p) for p in op.get("parameters", [])]
            for p in params:
                p["schema"] = norm(p.get("schema"))
            content = deref(op.get("requestBody", {})).get("content", {})
            body = norm(content["application/json"]["schema"]) if "application/json" in content \
                else None
            binary = any(k.startswith("image/") for k in content)
            routes.append(Route(method.upper(), V1 + template, params, body, binary,
                                op.get("security") == []))
    return routes, norm


# --- Database state --------------------------------------------------------------------------

class SqliteState:
    """Hashes of every table's rows, read through a read-only connection of our own."""

    def __init__(self, db):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None)
        self.version = None
        self.last = None

    def tables(self):
        # A virtual table's rows are in its shadow tables (the text index's cannot be scanned).
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]

    def hashes(self):
        # data_version moves only when another connection commits: nothing committed, nothing
        # to hash again.
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self.version and self.last is not None:
            return self.last
        self.conn.execute("BEGIN")
        out = {}
        for table in self.tables():
            h = hashlib.sha256()
            for row in self.conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
            out[table] = h.hexdigest()
        self.conn.execute("COMMIT")
        self.version, self.last = version, out
        return out

    def close(self):
        self.conn.close()


class PostgresState:
    """The same through one psql process kept open: an md5 of each table's rows in one query."""

    END = "__xj_end__"

    def __init__(self, url):
        self.proc = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-F", "\t", url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        tables = [line.strip() for line in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_type = 'BASE TABLE' ORDER BY 1;")]
        assert "audit_log" in tables, f"no tables to compare: {tables}"
        self.sql = " UNION ALL ".join(
            f"SELECT '{t}', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
            f"FROM \"{t}\" x" for t in tables) + ";"
        self.count = len(tables)
        self.xmax = None
        self.last = None

    def query(self, sql):
        self.proc.stdin.write(sql + f"\n\\echo {self.END}\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line or line.strip() == self.END:
                return [l for l in lines if l.strip()]
            lines.append(line.rstrip("\n"))

    def hashes(self):
        # No transaction id handed out since the last look: no write committed anywhere.
        xmax = self.query("SELECT pg_snapshot_xmax(pg_current_snapshot());")
        if xmax == self.xmax and self.last is not None:
            return self.last
        out = dict(line.split("\t") for line in self.query(self.sql))
        assert len(out) == self.count, f"psql answered {len(out)} of {self.count} tables"
        self.xmax, self.last = xmax, out
        return out

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


# --- Values ----------------------------------------------------------------------------------

BAD_IDS = ["0", "-1", "999999999", "2147483648", "9223372036854775808", "abc", "1.5", "1e3",
           "%00", "%ff"]
BAD_TOKENS = ["0" * 64, "x", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%00", "%ff%fe", "a" * 4000,
              "0" * 64 + ".ics", "%0d%0aSet-Cookie:%20x=1"]
NUMBERS = [0, -1, 2**31, -2**31 - 1, 2**53 + 1, 2**63, -2**63 - 1, 2**64, Raw("1e308"),
           Raw("-1e308"), Raw("1e999"), Raw("-0.0"), 1.5, "NaN", "Infinity", "1"]
STRINGS = {
    "empty": "", "long_64k": "王" * (KIB64 // 3), "nul": "a\x00b", "escape": "\x1b[2J\x1b[31mx",
    "cr": "a\rb", "bell": "a\x07b", "del": "a\x7fb", "lone_surrogate": Raw(b'"\\ud800x"'),
    "invalid_utf8": Raw(b'"\xff\xfe"'), "overlong_utf8": Raw(b'"\xc0\x80"'),
    "surrogate_utf8": Raw(b'"\xed\xa0\x80"'), "truncated_utf8": Raw(b'"\xe7\x8e"'),
    "html": "<script>alert(1)</script>", "sql": "'; DROP TABLE sessions; --",
    "spaces": "   ", "bidi": "\u202eabc", "bad_date": "2022-02-30", "big_date": "99999-01-01",
    "bad_time": "24:61", "short_time": "9:5",
}
CONTROL = {"nul", "escape", "cr", "bell", "del"}
INVALID_TEXT = {"lone_surrogate", "invalid_utf8", "overlong_utf8", "surrogate_utf8",
                "truncated_utf8"}


def json_type(value):
    if isinstance(value, Raw):
        return "raw"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def wrong_type(schema_type, value):
    if schema_type == "number":
        return json_type(value) not in ("integer", "number")
    return json_type(value) != schema_type


class Case:
    """One request, what it broke, and what a refusal of it must say."""

    def __init__(self, role, path, body=None, raw=None, headers=None, what="base", field=None,
                 must_refuse=False, csrf=True):
        self.role, self.path, self.body, self.raw = role, path, body, raw
        self.headers, self.what, self.field = headers or {}, what, field
        self.must_refuse, self.csrf = must_refuse, csrf

    def describe(self, method):
        shown = self.raw if self.raw is not None else (encode_json(self.body)
                                                        if self.body is not None else b"")
        if len(shown) > 200:
            shown = shown[:200] + b"...(%d bytes)" % len(shown)
        return f"{self.role} {method} {self.path[:200]} [{self.what}] {shown!r}"


# --- The fuzzer ------------------------------------------------------------------------------

class Fuzzer:
    def __init__(self, server, seed=1, log=None, cap=None):
        self.server = server
        self.cap = cap  # at most this many requests per route and round (None: every case)
        self.rng = random.Random(seed)
        self.log = log or (lambda line: None)
        self.routes, self.norm = load_routes()
        self.findings = {"5xx": [], "crash": [], "dropped": [], "refused_but_changed": [],
                         "field": [], "accepted_invalid": [], "down": [],
                         "bad_json": []}
        self.requests = 0
        self.roles_used = set()
        self.routes_done = set()
        self.unique = 0
        self.timings = []  # (seconds, requests, route) per route walked
        self.base_fields = {}  # (role, path): the fields its base request was refused for
        self.state = (PostgresState(server.db) if server.db.startswith("postgresql://")
                      else SqliteState(server.db))
        self.clients = {}
        self.spare = {}
        for role in ROLES[:-1]:
            self.clients[role] = server.login(role)
            self.spare[role] = server.login(role)  # for /auth/logout, which ends its session
        self.clients["anonymous"] = server.client()
        self.spare["anonymous"] = server.client()
        self.ids = self.discover()
        self.baseline = self.snapshot()

    # The records the cases point at, each in some roles' scope and outside others'.
    def discover(self):
        admin = self.clients["admin"]

        def items(path):
            r = admin.get(path)
            assert r.status == 200, (path, r)
            return r.json()["items"]

        def created(r):
            assert r.status in (200, 201, 202), r
            return r.json()["id"]
        orgs = {o["name"]: o["id"] for o in items(V1 + "/organisations?page_size=200")}
        ids = {"root": orgs["内蒙古自治区总工会"], "baotou": orgs["包头市总工会"],
               "wuhai": orgs["乌海市总工会"], "rare_earth": orgs["包头稀土新材料公司工会"],
               "wuhai_union": orgs["乌海市焦化集团工会"]}
        ids["own_lecturer"] = self.clients["lecturer"].get(V1 + "/auth/me").json()["lecturer_id"]
        lecturers = items(V1 + "/lecturers?page_size=200")
        ids["province_lecturer"] = next(l["id"] for l in lecturers if l["organisation_id"] ==
                                        ids["root"] and l["id"] != ids["own_lecturer"])
        ids["baotou_lecturer"] = next(l["id"] for l in lecturers
                                      if l["organisation_id"] == ids["baotou"])
        ids["campaign"] = next(c for c in items(V1 + "/campaigns")
                               if c["title"] == PAST_CAMPAIGN_TITLE)["id"]
        ids["own_session"] = items(f"{V1}/sessions?lecturer_id={ids['own_lecturer']}")[0]["id"]
        ids["wuhai_session"] = items(V1 + "/sessions?region_code=150300")[0]["id"]
        ids["rare_earth_session"] = items(
            f"{V1}/sessions?organisation_id={ids['rare_earth']}")[0]["id"]
        # A session of today, outside any campaign, so that its feedback link is still open.
        today = time.strftime("%Y-%m-%d")
        ids["today_session"] = created(admin.post(V1 + "/sessions", {
            "title": "模糊测试", "date": today, "venue": "职工之家",
            "host_organisation_id": ids["rare_earth"], "region_code": "150203",
            "audience_group": "frontline_workers", "format": "offline", "audience_offline": 5,
            "lecturer_ids": [ids["own_lecturer"]]}))
        orders = {}
        for state in ("submitted", "dispatched", "accepted", "delivered", "rated", "cancelled"):
            found = items(f"{V1}/orders?state={state}&page_size=1")
            if found:
                orders[state] = found[0]["id"]
        ids["order_campaign"] = order_campaign(admin)["id"]
        base_order = {"campaign_id": ids["order_campaign"], "window_from": "2051-01-09",
                      "window_to": "2051-01-20", "region_code": "150302", "address": "职工之家",
                      "audience_group": "frontline_workers", "expected_audience": 80}
        orders["wuhai"] = created(admin.post(V1 + "/orders", dict(
            base_order, organisation_id=ids["wuhai_union"])))
        orders["rare_earth"] = created(admin.post(V1 + "/orders", dict(
            base_order, organisation_id=ids["rare_earth"], region_code="150203")))
        ids["orders"] = orders
        ids["accounts"] = [
            created(admin.post(V1 + "/accounts", {
                "username": "fz_in", "display_name": "模糊", "role": "requester",
                "organisation_id": ids["rare_earth"], "password": "Fuzz-pass-2022!"})),
            created(admin.post(V1 + "/accounts", {
                "username": "fz_out", "display_name": "模糊", "role": "viewer",
                "organisation_id": ids["wuhai"], "password": "Fuzz-pass-2022!"}))]
        ids["read_accounts"] = ids["accounts"] + [a["id"] for a in items(V1 + "/accounts")[:3]]
        # API tokens of the account in baotou's scope: /auth/tokens/{id} and .../{token_id}.
        for name in ("fz-a", "fz-b"):
            made = self.server.cli("token", "create", "fz_in", "--name", name)
            assert made.returncode == 0, made.stderr
        ids["tokens"] = [t["id"] for t in admin.get(
            f"{V1}/accounts/{ids['accounts'][0]}/tokens").json()["items"]]
        ids["dictionary"] = [created(admin.post(V1 + "/dictionaries", {
            "kind": "topic", "code": "fz_topic", "name": "模糊主题"})),
            items(V1 + "/dictionaries?kind=audience_group")[0]["id"]]
        ids["photos"] = {}
        for s in ("wuhai_session", "rare_earth_session"):
            r = admin.request("POST", f"{V1}/sessions/{ids[s]}/photos", raw=png_bytes(shade=7),
                              headers={"Content-Type": "image/png"})
            ids["photos"][s] = created(r)
        ids["feedback"] = {s: created(admin.post(f"{V1}/sessions/{ids[s]}/feedback",
                                                 {"rating": 4, "comment": "好"}))
                           for s in ("wuhai_session", "rare_earth_session")}
        ids["feedback_tokens"] = [
            admin.post(f"{V1}/sessions/{ids[s]}/feedback-link", {}).json()["token"]
            for s in ("today_session", "wuhai_session")]
        ids["calendar_tokens"] = [self.clients["lecturer"].post(  # only they hold it
            f"{V1}/lecturers/{ids['own_lecturer']}/calendar-link", {}).json()["token"]]
        r = admin.post(f"{V1}/campaigns/{ids['order_campaign']}/dispatch-plans",
                       {"time_limit_seconds": 1})
        ids["plan"] = created(r)
        # 送温暖: an open province programme with money at Wuhai and one person helped there.
        r = admin.post(V1 + "/programmes", {
            "title": "模糊测试送温暖", "owner_organisation_id": ids["root"],
            "start_date": "2020-01-01", "end_date": "2099-12-31", "budget_fen": 100_000_000,
            "categories": ["hardship_worker"], "kinds": ["cash", "goods", "subsidy", "voucher"]})
        ids["programme"] = created(r)
        r = admin.post(f"{V1}/programmes/{ids['programme']}/open", {"version": 0})
        assert r.status == 200, r
        r = admin.post(V1 + "/allocations", {
            "programme_id": ids["programme"], "from_organisation_id": ids["root"],
            "to_organisation_id": ids["wuhai"], "amount_fen": 10_000_000})
        ids["allocation"] = created(r)
        r = admin.post(V1 + "/disbursements", {
            "programme_id": ids["programme"], "organisation_id": ids["wuhai"],
            "amount_fen": 100, "aid_kind": "cash", "date": "2024-01-20", "name": "模糊测试受助人",
            "id_number": "11010519491231002X", "category": "hardship_worker"})
        ids["disbursement"] = created(r)
        ids["beneficiary"] = r.json()["beneficiary_id"]
        # 电子消费券: a Wuhai merchant, a batch, one voucher.
        ids["merchant"] = created(admin.post(V1 + "/vouchers/merchants", {
            "organisation_id": ids["wuhai"], "name": "模糊测试商户"}))
        ids["voucher_batch"] = created(admin.post(V1 + "/vouchers/batches", {
            "programme_id": ids["programme"], "organisation_id": ids["wuhai"],
            "title": "模糊测试消费券", "face_value_fen": 100, "count": 5,
            "valid_from": "2024-01-01", "valid_to": "2099-12-31",
            "merchant_ids": [ids["merchant"]]}))
        r = admin.post(f"{V1}/vouchers/batches/{ids['voucher_batch']}/issue",
                       {"beneficiaries": [{"beneficiary_id": ids["beneficiary"]}]})
        assert r.status == 201, r
        ids["voucher"] = r.json()["items"][0]["id"]
        ids["voucher_code"] = r.json()["items"][0]["code"]
        r = admin.request("POST", f"{V1}/disbursements/{ids['disbursement']}/photos",
                          raw=png_bytes(shade=9), headers={"Content-Type": "image/png"})
        ids["care_photo"] = created(r)
        # 报道导入: one stored report text (the province's), with the session it gave.
        r = admin.post(V1 + "/imports/reports",
                       {"text": "3月9日，王丽华在乌海市总工会会议室为80余名一线职工开展宣讲。",
                        "year": 2023})
        assert r.status == 200, r
        proposal = dict(r.json()["proposals"][0], title="模糊测试宣讲",
                        audience_group_code="frontline_workers")
        r = admin.post(V1 + "/imports/reports/accept",
                       {"text": r.json()["text"], "year": 2023, "proposals": [proposal]})
        assert r.status == 201, r
        ids["report_source"] = r.json()["report_source_id"]
        ids["ledger_account"] = next(
            a["id"] for a in admin.get(f"{V1}/ledger?programme_id={ids['programme']}")
            .json()["items"] if a["organisation_id"] == ids["wuhai"])
        self.wait_for_plans()
        return ids

    def wait_for_plans(self):
        """A plan is solved on the server's own thread, which writes when it ends: wait for
        that, so that its write is never taken for a refused request's."""
        deadline = time.time() + 90
        while self.plans_running() and time.time() < deadline:
            time.sleep(0.2)

    def plans_running(self):
        if isinstance(self.state, SqliteState):
            return self.state.conn.execute(
                "SELECT count(*) FROM dispatch_plans WHERE state = 'running'").fetchone()[0] > 0
        return self.state.query(
            "SELECT count(*) FROM dispatch_plans WHERE state = 'running';") != ["0"]

    def snapshot(self):
        tables = dict(self.state.hashes())
        folder = os.path.join(self.server.dir, "photos")
        files = []
        for root, _, names in os.walk(folder):
            files += [os.path.join(root, n) for n in names]
        tables["<photo files>"] = hashlib.sha256(repr(sorted(files)).encode()).hexdigest()
        return tables

    # --- Values by field name and schema --------------------------------------------------------

    def fresh(self, prefix):
        self.unique += 1
        return f"{prefix}{self.unique}"

    def good(self, name, schema):
        """A value the server would take from someone allowed to send it."""
        i = self.ids
        schema = self.norm(schema)
        by_name = {
            "organisation_id": i["rare_earth"], "host_organisation_id": i["rare_earth"],
            "parent_id": i["baotou"], "owner_organisation_id": i["baotou"],
            "campaign_id": i["order_campaign"], "lecturer_id": i["own_lecturer"],
            "lecturer_ids": [i["own_lecturer"]], "preferred_lecturer_id": None,
            "order_id": i["orders"]["wuhai"], "region_code": "150203",
            "audience_group": "frontline_workers", "category": "model_worker",
            "topics": ["craftsmanship"], "topic": "craftsmanship",
            "preferred_category": "model_worker", "date": "2022-12-01",
            "window_from": "2051-01-09", "window_to": "2051-01-20", "start_date": "2023-03-01",
            "end_date": "2023-03-31", "from": "2022-12-01", "to": "2022-12-02",
            "start_time": "09:00", "end_time": "10:30", "version": 1, "rating": 4,
            "expected_audience": 80, "priority": 3, "kind": "topic",
            "code": self.fresh("fz_c"), "username": self.fresh("fz_u"),
            "password": "Fuzz-pass-2022!", "current_password": "wrong-password-1",
            "new_password": "Another-pass-2022", "role": "requester", "languages": ["zh"],
            "industry": "C", "level": "grassroots", "time_limit_seconds": 1, "seed": 1,
            "sort_order": 1, "phone": "13900000000", "contact_phone": "13900000000",
            "gender": "", "language": "zh", "lat": 40.6, "lon": 109.8, "ids": [],
            "quote": False, "renew": False, "override_travel": False, "active": True,
            "headcount": 10, "audience_offline": 50, "online_viewers": 0,
            "name": "模糊测试", "title": "模糊测试", "venue": "职工之家",
        }
        if name in by_name:
            return by_name[name]
        if "enum" in schema:
            return next((v for v in schema["enum"] if v != ""), schema["enum"][0])
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if kind == "string":
            return "2022-12-01" if schema.get("format") == "date" else "模糊测试"
        if kind in ("integer", "number"):
            return max(schema.get("minimum", 1), 1)
        if kind == "boolean":
            return False
        if kind == "array":
            return [self.good(name, schema.get("items", {}))]
        return {k: self.good(k, s) for k, s in schema.get("properties", {}).items()
                if not self.norm(s).get("readOnly")}

    def id_values(self, name):
        """Ids a body may name: in some roles' scope, outside others', none at all."""
        i = self.ids
        if "organisation" in name or name == "parent_id":
            return [i["root"], i["baotou"], i["wuhai"], i["rare_earth"], i["wuhai_union"]]
        if "lecturer" in name:
            return [i["own_lecturer"], i["province_lecturer"], i["baotou_lecturer"]]
        if name == "order_id":
            return list(i["orders"].values())
        if name == "programme_id":
            return [i["programme"], 999999999]
        if name == "beneficiary_id":
            return [i["beneficiary"], 999999999]
        return [i["campaign"], 999999999]

    # --- Cases ----------------------------------------------------------------------------------

    def field_mutations(self, path, name, schema, required, closed_parent):
        """(what, value or DELETE, must the server refuse it) for one field."""
        schema = self.norm(schema)
        kind = schema.get("type", "object" if "properties" in schema else "string")
        out = []
        for alt in ["x", 7, 2.5, True, [], {}, ["x"], {"a": 1}]:
            if wrong_type(kind, alt) and not (kind == "number" and json_type(alt) == "integer"):
                out.append((f"type:{json_type(alt)}", alt, True))
        out.append(("null", None, not schema.get("nullable", False)))
        out.append(("missing", DELETE, False))
        if kind in ("integer", "number"):
            lo, hi = schema.get("minimum"), schema.get("maximum")
            for n in NUMBERS:
                refuse = (isinstance(n, (str, Raw)) or (kind == "integer" and isinstance(n, float))
                          or (lo is not None and isinstance(n, int) and n < lo)
                          or (hi is not None and isinstance(n, int) and n > hi)
                          or (isinstance(n, int) and abs(n) >= 2**63))
                if isinstance(n, Raw) and n.data == b"-0.0" and kind == "number":
                    refuse = False
                out.append((f"number:{n!r}", n, refuse))
            if name.endswith("_id"):
                out += [(f"id:{v}", v, False) for v in self.id_values(name)]
        if kind == "string":
            limit = schema.get("maxLength")
            for label, s in STRINGS.items():
                refuse = (label in INVALID_TEXT or label in CONTROL and label != "cr"
                          or (limit is not None and label == "long_64k"))
                out.append((f"string:{label}", s, refuse))
            if limit:
                out.append((f"string:over_{limit}", "王" * (limit + 1), True))
            if "enum" in schema:
                out.append(("string:not_in_enum", "zz_not_a_choice", True))
        if kind == "array":
            item = self.good(name, schema.get("items", {}))
            item = item[0] if isinstance(item, list) and item else item
            out += [("array:empty", [], False), ("array:10000", [item] * 10000, False),
                    ("array:null_item", [None], True), ("array:nested", [[[item]]], True)]
            if name.endswith("_ids"):
                out += [(f"ids:{v}", [v], False) for v in self.id_values(name)]
                out += [("ids:0", [0], False), ("ids:-1", [-1], False),
                        ("ids:repeated", [self.ids["own_lecturer"]] * 3, False)]
        return out

    def body_cases(self, route, base):
        """Every broken variant of a JSON body: by field, then the body as a whole."""
        schema = route.body
        required = set(schema.get("required", []))
        closed = schema.get("additionalProperties") is False
        cases = []
        props = {k: v for k, v in schema.get("properties", {}).items()
                 if not self.norm(v).get("readOnly")}
        for name, sub in props.items():
            for what, value, refuse in self.field_mutations(name, name, sub, name in required,
                                                            closed):
                body = dict(base)
                if value is DELETE:
                    body.pop(name, None)
                    refuse = name in required and route.method != "PATCH"
                else:
                    body[name] = value
                cases.append((f"{name}:{what}", body, name, refuse))
            # One level down: the first item of an array of objects.
            sub = self.norm(sub)
            items = self.norm(sub.get("items", {}))
            if sub.get("type") == "array" and "properties" in items:
                item = self.good(name, sub)
                item = item[0] if item else {}
                for key, s in items["properties"].items():
                    if self.norm(s).get("readOnly"):
                        continue
                    for what, value, refuse in self.field_mutations(
                            key, key, s, key in items.get("required", []), True):
                        one = dict(item)
                        if value is DELETE:
                            one.pop(key, None)
                            refuse = key in items.get("required", [])
                        else:
                            one[key] = value
                        cases.append((f"{name}[0].{key}:{what}", dict(base, **{name: [one]}),
                                      f"{name}[0].{key}", refuse))
                cases.append((f"{name}[0]:extra", dict(base, **{name: [dict(item, fz_extra=1)]}),
                              f"{name}[0].fz_extra", items.get("additionalProperties") is False))
        cases.append(("extra_field", dict(base, fz_extra=1), "fz_extra", closed))
        cases.append(("extra_nested", dict(base, fz_extra={"a": [None, {"b": "\x00"}]}),
                      "fz_extra", closed))
        return cases

    def whole_body_cases(self, base):
        """(what, raw bytes, headers): the body as a whole is wrong."""
        good = encode_json(base)
        field = next(iter(base), "x")
        return [
            ("empty_body", b"", {}), ("json_null", b"null", {}), ("json_array", b"[]", {}),
            ("json_number", b"1", {}), ("json_string", b'"x"', {}), ("truncated", good[:-1], {}),
            ("not_json", b"a=1&b=2", {}), ("trailing_garbage", good + b" x", {}),
            ("bom", b"\xef\xbb\xbf" + good, {}),
            ("deep_array", b"[" * 100000 + b"]" * 100000, {}),
            ("deep_object", b'{"a":' * 20000 + b"1" + b"}" * 20000, {}),
            ("duplicate_key", b"{" + json.dumps(field).encode() + b': 1, ' + good[1:], {}),
            ("invalid_utf8_key", b'{"\xff": 1}', {}),
            ("nul_in_json", good[:1] + b"\x00" + good[1:], {}),
            ("text_plain", good, {"Content-Type": "text/plain"}),
            ("form", b"a=1", {"Content-Type": "application/x-www-form-urlencoded"}),
            ("no_content_type", good, {"Content-Type": ""}),
            ("charset_latin1", good, {"Content-Type": "application/json; charset=latin1"}),
            ("huge_2mib", b'{"x": "' + b"a" * (2 << 20) + b'"}', {}),
        ]

    def query_cases(self, route):
        """(what, query string, the parameter that is wrong or None, must refuse)."""
        out = [("unknown_param", "fz_extra=1", None, False),
               ("long_query", "q=" + "a" * 6000, None, False)]
        for p in route.query_params:
            name, schema = p["name"], p["schema"]
            kind = schema.get("type", "string")
            values = [("empty", "", False), ("nul", "%00", False), ("escape", "%1b%5b2J", False),
                      ("crlf", "%0d%0aX-Fz:%201", False), ("invalid_utf8", "%ff%fe", False),
                      ("overlong_utf8", "%c0%80", False), ("long_4k", "a" * 4000, False)]
            if kind in ("integer", "number"):
                lo, hi = schema.get("minimum"), schema.get("maximum")
                for v in ("abc", "0", "-1", "2147483648", "9223372036854775808", "1e308",
                          "NaN", "1.5", "0x10", "%2b1", "%201"):
                    try:
                        n = int(v)
                        refuse = (lo is not None and n < lo) or (hi is not None and n > hi) \
                            or abs(n) >= 2**63
                    except ValueError:
                        refuse = kind == "integer"
                    values.append((v, v, refuse))
                if name.endswith("_id"):
                    values += [(f"id:{v}", str(v), False) for v in self.id_values(name)]
            if kind == "boolean":
                values += [("yes", "yes", True), ("2", "2", True)]
            if schema.get("format") == "date":
                values += [("bad_date", "2022-02-30", True), ("yesterday", "yesterday", True),
                           ("big_date", "99999-01-01", True)]
            if "enum" in schema:
                values.append(("not_in_enum", "zz", True))
            for what, v, refuse in values:
                out.append((f"{name}={what}", f"{name}={v}", name, refuse))
            out.append((f"{name}:repeated", f"{name}=1&{name}=2", None, False))
        return out

    def targets(self, route):
        """Concrete paths of the route: each id in some scope, outside it, or none at all."""
        i = self.ids
        t = route.template
        if not route.path_params:
            return [t], []
        first = t.split("/")[3]
        pools = {
            "organisations": [i["root"], i["baotou"], i["wuhai"], i["rare_earth"],
                              i["wuhai_union"]],
            "lecturers": [i["own_lecturer"], i["province_lecturer"], i["baotou_lecturer"]],
            "campaigns": [i["campaign"]],
            "sessions": [i["own_session"], i["wuhai_session"], i["rare_earth_session"],
                         i["today_session"]],
            "accounts": i["accounts"] if route.method != "GET" else i["read_accounts"],
            "orders": list(i["orders"].values()),
            "dictionaries": i["dictionary"],
            "dispatch-plans": [i["plan"]],
            "photos": list(i["photos"].values()),
            "feedback": i["feedback_tokens"], "calendar": i["calendar_tokens"],
            "auth": i["tokens"],
            "exports": ["sessions", "lecturers", "orders", "feedback", "statistics",
                        "care_disbursements", "care_report"],
            "programmes": [i["programme"]], "disbursements": [i["disbursement"]],
            "beneficiaries": [i["beneficiary"]], "ledger": [i["ledger_account"]],
            "allocations": [i["allocation"]],
            "care-photos": [i["care_photo"]],
            "imports": [i["report_source"]],
        }
        if first == "vouchers":  # one prefix, several kinds of id: by the next segment
            second = t.split("/")[4]
            pools["vouchers"] = {"merchants": [i["merchant"]], "batches": [i["voucher_batch"]],
                                 "issued": [i["voucher"]]}.get(second, [i["voucher_code"]])
        good = []
        for value in pools[first]:
            path = t.replace("{id}", str(value)).replace("{token}", str(value)) \
                .replace("{kind}", str(value))
            if "{feedback_id}" in path:
                for s, f in i["feedback"].items():
                    good.append(path.replace("{feedback_id}", str(f)))
                continue
            if "{token_id}" in path:
                for token in i["tokens"]:
                    good.append(path.replace("{token_id}", str(token)))
                continue
            if "{photo_id}" in path:
                for s, p in i["photos"].items():
                    good.append(path.replace("{photo_id}", str(p)))
                continue
            good.append(path)
        bad = []
        segments = t.split("/")
        for p in route.path_params:
            at = segments.index("{" + p["name"] + "}")
            for v in BAD_TOKENS if p["name"] in ("token", "kind") else BAD_IDS:
                path = good[0].split("/")
                path[at] = v
                bad.append("/".join(path))
        return good, bad

    def cases(self, route):
        """The route's cases, in a seeded order, each with the role that sends it."""
        good_paths, bad_paths = self.targets(route)
        rng = self.rng
        logged_in = ROLES[:-1]
        cases = []
        # Every role, every target once with a body the server would take from someone.
        for role in (ROLES if route.public or route.template.endswith("/auth/logout")
                     else ROLES[:-1]):
            for path in good_paths:
                cases.append(self.make_case(route, role, path, "base"))
        cases.append(self.make_case(route, "anonymous", good_paths[0], "base"))
        for path in bad_paths:
            cases.append(self.make_case(route, rng.choice(logged_in), path, "bad_path"))
        if route.method != "GET" and not route.public:
            cases.append(self.make_case(route, rng.choice(logged_in), good_paths[0], "no_csrf"))
        if route.body is not None:
            base = self.base_body(route)
            variants = self.body_cases(route, base)
            for what, body, field, refuse in variants:
                role = rng.choice(logged_in if not route.public else ROLES)
                path = rng.choice(good_paths)
                cases.append(Case(role, path, body=body, what=what, field=field,
                                  must_refuse=refuse))
            # The first type error of each field, from every role: a permission check must come
            # before the body is read, and reading a wrong body must never go further.
            for what, body, field, refuse in variants:
                if what.endswith(":type:string") and "[" not in what:
                    for role in logged_in:
                        cases.append(Case(role, rng.choice(good_paths), body=body, what=what,
                                          field=field, must_refuse=True))
            for what, raw, headers in self.whole_body_cases(base):
                cases.append(Case(rng.choice(logged_in), rng.choice(good_paths), raw=raw,
                                  headers=headers, what=what))
        elif route.binary:
            for what, raw in [("empty", b""), ("gif", b"GIF89a" + b"\x00" * 20),
                              ("png_signature_only", b"\x89PNG\r\n\x1a\n"),
                              ("png_truncated", png_bytes()[:30]), ("png", png_bytes(shade=3)),
                              ("png_html", b"\x89PNG\r\n\x1a\n<html>" + png_bytes()[-12:]),
                              ("jpeg_markers_only", b"\xff\xd8\xff\xd9"), ("json", b"{}"),
                              ("zeros_2mib", b"\x00" * (2 << 20))]:
                cases.append(Case(rng.choice(logged_in), rng.choice(good_paths), raw=raw,
                                  headers={"Content-Type": "image/png"}, what=what))
        elif route.method == "POST":  # a body the route takes none of
            for what, raw in [("unexpected_json", b'{"x": 1}'), ("unexpected_bytes", b"\xff")]:
                cases.append(Case(rng.choice(ROLES), rng.choice(good_paths), raw=raw,
                                  what=what))
        if route.template.endswith("/auth/password"):
            # The right current password and a new one too short: refused, so nothing may
            # change (the wrong-password cases count towards the lockout and are audited).
            for role in logged_in:
                cases.append(Case(role, good_paths[0], body={
                    "current_password": self.server.passwords[role], "new_password": "short"},
                    what="right_password", field="new_password", must_refuse=True))
        for what, query, field, refuse in self.query_cases(route):
            path = rng.choice(good_paths)
            c = self.make_case(route, rng.choice(logged_in if not route.public else ROLES),
                               path + ("&" if "?" in path else "?") + query, what)
            c.field, c.must_refuse = field, refuse
            cases.append(c)
        return cases

    def base_body(self, route):
        body = self.good("", route.body) if route.body is not None else None
        for suffix, names in NOT_SENT.items():
            if route.template.endswith(suffix):
                body = {k: v for k, v in body.items() if k not in names}
        if route.method == "PATCH" and isinstance(body, dict):
            # An edit of one field (and the version it read): a whole record would rename,
            # move and re-key the demo's records at every step.
            keep = [k for k in ("version", "quote") if k in body]
            body = {k: body[k] for k in keep} or dict([next(iter(body.items()))])
        return body

    def make_case(self, route, role, path, what):
        if route.body is not None:
            return Case(role, path, body=self.base_body(route), what=what,
                        csrf=what != "no_csrf")
        if route.binary:
            return Case(role, path, raw=b"GIF89a", headers={"Content-Type": "image/png"},
                        what=what, csrf=what != "no_csrf")
        return Case(role, path, what=what, csrf=what != "no_csrf")

    # --- Sending and judging --------------------------------------------------------------------

    def send(self, route, case):
        client = self.spare[case.role] if route.template.endswith("/auth/logout") \
            else self.clients[case.role]
        raw = case.raw if case.raw is not None else (
            encode_json(case.body) if case.body is not None else None)
        headers = dict(case.headers)
        if raw is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
        self.requests += 1
        self.roles_used.add(case.role)
        try:
            return client.request(route.method, case.path, raw=raw, headers=headers,
                                  csrf=case.csrf), None
        except (OSError, http.client.HTTPException) as e:
            return None, e

    def judge(self, route, case, response, error):
        desc = case.describe(route.method)
        if response is None:  # a dying process closes its connections before it is gone
            try:
                self.server.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if self.server.proc.poll() is not None:
            self.findings["crash"].append(f"{desc} -> process ended "
                                          f"({self.server.proc.returncode})")
            self.log("CRASH " + desc)
            self.server.restart()
            self.baseline = self.snapshot()
            return
        if response is None:
            # A body over the route's limit may be answered (413) and the connection closed
            # before the client has sent it all.
            if not (case.raw is not None and len(case.raw) > (1 << 20)):
                self.findings["dropped"].append(f"{desc} -> {error!r}")
            self.baseline = self.snapshot()
            return
        status = response.status
        content_type = response.header("Content-Type") or ""
        if content_type.startswith("application/json") or status >= 400:
            try:
                body = json.loads(response.body.decode("utf-8"))
                if status >= 400 and not (isinstance(body, dict) and isinstance(
                        body.get("error"), dict) and body["error"].get("code")):
                    raise ValueError("no error.code")
            except ValueError as e:  # UnicodeDecodeError is one
                self.findings["bad_json"].append(f"{desc} -> {response!r} ({e})")
        if status >= 500:
            self.findings["5xx"].append(f"{desc} -> {response!r}")
            self.log(f"5xx {desc} -> {response!r}")
        now = self.snapshot()
        if 400 <= status < 500:
            # data_version counts committed writes (the page cache's key): it moves with the
            # login_failures and audit rows a refused login writes, and with nothing else.
            excluded = {"login_failures", "data_version"}
            if route.template.endswith("/auth/login") or (
                    route.template.endswith("/auth/password") and case.what != "right_password"):
                excluded.add("audit_log")
            changed = sorted(t for t in set(now) | set(self.baseline)
                             if t not in excluded and now.get(t) != self.baseline.get(t))
            if changed:
                self.findings["refused_but_changed"].append(
                    f"{desc} -> {status}, changed {changed}")
            fields = error_fields(response)
            if case.what == "base":
                self.base_fields[(case.role, case.path)] = fields
            elif status in (400, 422) and case.field and not (
                    case.what.split(":")[-1] in INVALID_TEXT or case.what.endswith("=invalid_utf8")):
                # A body that is not UTF-8 or not JSON is refused whole, before any field is
                # read: no field to name. Other refusals name the field, unless the same
                # request without the change was refused for those fields already.
                # An array's only item may be named as a record of its own would be ("venue"
                # for "sessions[0].venue": a day of one session reads like one session).
                top = case.field.split("[")[0].split(".")[0]
                leaf = case.field.split(".")[-1].split("[")[0]
                named = any(f == case.field or f.split("[")[0].split(".")[0] in (top, leaf)
                            or {f, top} in PAIRS
                            for f in fields)
                if not named and not (fields and fields <= self.base_fields.get(
                        (case.role, case.path.split("?")[0]), set())):
                    self.findings["field"].append(f"{desc} -> {status} fields {sorted(fields)}")
        elif status < 300 and case.must_refuse:
            self.findings["accepted_invalid"].append(f"{desc} -> {status}")
        if status == 202 and route.template.endswith("/dispatch-plans"):
            self.wait_for_plans()
            now = self.snapshot()
        self.baseline = now

    def health(self, route):
        try:
            r = self.clients["anonymous"].get(V1 + "/health")
            ok = r.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
        if not ok or self.server.proc.poll() is not None:
            self.findings["down"].append(f"after {route.name}")
            if self.server.proc.poll() is not None:
                self.server.restart()
            self.baseline = self.snapshot()

    def run(self, rounds=1, deadline=None, only=None):
        """Walks every route; `rounds` times (each round new random choices) or until the
        deadline (time.time()), whichever comes first. Login and logout come last."""
        order = sorted(self.routes, key=lambda r: r.template.startswith(V1 + "/auth/log"))
        for _ in range(rounds):
            for route in order:
                if only and only not in route.name:
                    continue
                if deadline and time.time() > deadline:
                    return
                cases = self.cases(route)
                if route.template.endswith(("/auth/login", "/auth/password")):
                    # Each wrong password costs a hash and a growing pause, and counts towards
                    # the lockout of the account (5) and of this address (30 in 15 minutes):
                    # a few, and all malformed but three; the right password before any wrong.
                    cases = [c for c in cases if c.what == "right_password"] + [
                        c for c in cases if c.what == "base"][:3] + [
                        c for c in cases if ":type:" in c.what or c.raw is not None][:12]
                cap = self.cap
                if cap and route.template.endswith("/dispatch-plans"):
                    cap = cap // 4  # every request the solver takes runs it for a second
                if cap and len(cases) > cap:
                    # Every base case, and a seeded sample of the broken ones.
                    base = [c for c in cases if c.what in ("base", "right_password")]
                    broken = [c for c in cases if c.what not in ("base", "right_password")]
                    chosen = set(map(id, self.rng.sample(broken, max(cap - len(base), 0))))
                    cases = base + [c for c in broken if id(c) in chosen]
                started = time.time()
                for case in cases:
                    response, error = self.send(route, case)
                    self.judge(route, case, response, error)
                self.routes_done.add(route.name)
                self.timings.append((time.time() - started, len(cases), route.name))
                self.health(route)

    def summary(self):
        f = self.findings
        return (f"api fuzz: {self.requests} requests, {len(self.routes_done)} routes, "
                f"{len(self.roles_used)} roles, {len(f['5xx'])} 5xx, {len(f['crash'])} crashes, "
                f"{len(f['refused_but_changed'])} refused-but-changed, "
                f"{len(f['dropped'])} dropped, {len(f['down'])} down, "
                f"{len(f['field'])} without the field, {len(f['bad_json'])} bad JSON, "
                f"{len(f['accepted_invalid'])} invalid accepted")

    def close(self):
        self.state.close()


DELETE = object()
# Fields checked together: a refusal of the pair may name either. An organisation's level must
# fit its parent's, so a move under the wrong parent names `level`.
PAIRS = [{"lat", "lon"}, {"parent_id", "level"}]
# Fields a route's schema has (through allOf) that its description takes away: a delivered
# order's session gets its campaign, source and lecturers from the order.
NOT_SENT = {"/deliver": ("campaign_id", "source", "lecturer_ids")}
# What fails a run: everything, a 2xx for a value the document calls invalid included.
FAILING = ("5xx", "crash", "refused_but_changed", "dropped", "down", "field", "bad_json",
           "accepted_invalid")


def error_fields(response):
    try:
        body = response.json()
    except ValueError:
        return set()
    if not isinstance(body, dict):
        return set()
    fields = set()
    if isinstance(body.get("error"), dict) and body["error"].get("field"):
        fields.add(body["error"]["field"])
    for e in body.get("errors") or []:
        if isinstance(e, dict) and e.get("field"):
            fields.add(e["field"])
    return fields


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=0,
                        help="run rounds (new seeds' choices) until this many seconds passed")
    parser.add_argument("--only", help="the routes whose 'METHOD /path' contains this")
    parser.add_argument("--cap", type=int, default=None,
                        help="requests per route and round (default: every case)")
    parser.add_argument("--timings", action="store_true", help="the slowest routes")
    parser.add_argument("--show", type=int, default=20, help="findings shown per kind")
    args = parser.parse_args(argv)
    started = time.time()
    server = Server(demo=True, serve_args=SERVE_ARGS)
    try:
        fuzzer = Fuzzer(server, seed=args.seed, log=lambda line: print(line, flush=True),
                        cap=args.cap)
        rounds = 10**9 if args.seconds else args.rounds
        fuzzer.run(rounds, deadline=started + args.seconds if args.seconds else None,
                   only=args.only)
        for kind, items in fuzzer.findings.items():
            for item in items[:args.show]:
                print(f"{kind}: {item}")
        if args.timings:
            for seconds, n, name in sorted(fuzzer.timings, reverse=True)[:15]:
                print(f"{seconds:6.1f} s {n:5d} requests  {name}")
        print(fuzzer.summary() + f" in {time.time() - started:.0f} s")
        fuzzer.close()
        bad = sum(len(fuzzer.findings[k]) for k in FAILING)
        return 1 if bad else 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
