"""Care programmes' report and exports (issue 16 point 8): GET /programmes/{id}/report recounted
from the raw disbursements and the ledger, for the province and for a league, scoped like every
care read; the exports care_disbursements and care_report carry masks, never a full ID number.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/care_report_test.py
"""
import collections
import datetime
import io
import os
import sys
import unittest
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, png_bytes  # noqa: E402

V1 = "/api/v1"
TODAY = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_serial = [500]


def resident_id(region="150203"):
    """A fresh, valid GB 11643 number: its check character computed here, independently."""
    _serial[0] += 1
    first = f"{region}19750615{_serial[0] % 1000:03d}"
    return first + "10X98765432"[sum(int(a) * w for a, w in zip(first, WEIGHTS)) % 11]


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def setUpModule():
    global SERVER, ORGS, IDS, PROGRAMME, PAID_IDS
    global DEMO_VERIFY
    SERVER = Server(demo=True)
    # The demo's care programmes as `init --demo` left them, before this module adds its own.
    DEMO_VERIFY = SERVER.cli("ledger", "verify")
    admin = SERVER.login("admin")
    ORGS = {}
    page = 1
    while True:
        r = admin.get(f"{V1}/organisations?page_size=200&page={page}").json()
        ORGS.update({o["id"]: o for o in r["items"]})
        if page * 200 >= r["total"]:
            break
        page += 1
    by_name = {o["name"]: o["id"] for o in ORGS.values()}
    root = next(o["id"] for o in ORGS.values() if o["parent_id"] is None)
    baotou, hohhot = by_name["包头市总工会"], by_name["呼和浩特市总工会"]
    child = next(o["id"] for o in ORGS.values() if o["parent_id"] == baotou)
    IDS = {"root": root, "baotou": baotou, "hohhot": hohhot, "baotou_child": child}

    organiser = SERVER.login("organiser")
    p = organiser.post(V1 + "/programmes", {
        "title": "报表送温暖", "owner_organisation_id": root, "start_date": day(-70),
        "end_date": day(10), "budget_fen": 200_000_000,
        "categories": ["hardship_worker", "frontline_worker", "holiday_duty"],
        "kinds": ["cash", "goods", "subsidy"]}).json()
    PROGRAMME = organiser.post(f"{V1}/programmes/{p['id']}/open",
                               {"version": p["version"]}).json()

    def allocate(frm, to, fen, kind="allocation"):
        r = organiser.post(V1 + "/allocations", {
            "programme_id": PROGRAMME["id"], "kind": kind, "from_organisation_id": frm,
            "to_organisation_id": to, "amount_fen": fen})
        assert r.status == 201, r

    allocate(root, baotou, 50_000_000)
    allocate(root, hohhot, 30_000_000)
    allocate(baotou, child, 10_000_000)
    allocate(baotou, child, 1_000_000, kind="take_back")
    PAID_IDS = []
    plan = [(root, "hardship_worker", "cash", -60, 123_456),
            (baotou, "frontline_worker", "goods", -40, 200_001),
            (baotou, "hardship_worker", "cash", -5, 99_999),
            (child, "holiday_duty", "cash", -35, 50_050),
            (child, "hardship_worker", "goods", 0, 70_000),
            (hohhot, "holiday_duty", "cash", -1, 88_888)]
    for org, category, kind, offset, fen in plan:
        number = resident_id()
        PAID_IDS.append(number)
        r = organiser.post(V1 + "/disbursements", {
            "programme_id": PROGRAMME["id"], "organisation_id": org, "amount_fen": fen,
            "aid_kind": kind, "date": day(offset), "officials": "工会主席 李明",
            "name": "报表受助人", "id_number": number, "phone": "13912345678",
            "employer": "包钢集团", "category": category})
        assert r.status == 201, r
    r = organiser.post(V1 + "/subsidies", {
        "programme_id": PROGRAMME["id"], "organisation_id": baotou, "amount_fen": 7_640_000,
        "aid_kind": "subsidy", "date": day(-2), "unit_name": "包头市某焦化企业",
        "document_no": "包工发〔2027〕3号", "bank_name": "中国银行包头分行",
        "bank_account": "6217000000000000"})
    assert r.status == 201, r


def tearDownModule():
    SERVER.stop()


def all_disbursements(client):
    items, page = [], 1
    while True:
        r = client.get(f"{V1}/disbursements?programme_id={PROGRAMME['id']}&page_size=200"
                       f"&page={page}").json()
        items += r["items"]
        if page * 200 >= r["total"]:
            return items
        page += 1


def line_of(org_id, top):
    """The report line a payer belongs to: `top` itself, or top's child above it."""
    path, top_path = ORGS[org_id]["path"], ORGS[top]["path"]
    assert path.startswith(top_path)
    if path == top_path:
        return top
    child_path = path[:path.index("/", len(top_path)) + 1]
    return next(o["id"] for o in ORGS.values() if o["path"] == child_path)


def recount(client, top):
    """The report of `top`, counted here from the raw disbursements and the ledger."""
    top_path = ORGS[top]["path"]
    mine = [d for d in all_disbursements(client)
            if ORGS[d["organisation_id"]]["path"].startswith(top_path)]
    out = {"count": len(mine), "disbursed": sum(d["amount_fen"] for d in mine),
           "units": sum(d["beneficiary_kind"] == "unit" for d in mine),
           "people": len({d["beneficiary_id"] for d in mine if d["beneficiary_id"]}),
           "categories": collections.Counter(), "kinds": collections.Counter(),
           "months": collections.Counter(), "lines": collections.Counter(),
           "line_counts": collections.Counter(), "held": collections.Counter()}
    for d in mine:
        if d["beneficiary_kind"] == "person":
            out["categories"][d["category"]] += d["amount_fen"]
        out["kinds"][d["aid_kind"]] += d["amount_fen"]
        out["months"][d["date"][:7]] += d["amount_fen"]
        out["lines"][line_of(d["organisation_id"], top)] += d["amount_fen"]
        out["line_counts"][line_of(d["organisation_id"], top)] += 1
    ledger = client.get(f"{V1}/ledger?programme_id={PROGRAMME['id']}").json()["items"]
    for a in ledger:
        if a["kind"] == "holding" and ORGS[a["organisation_id"]]["path"].startswith(top_path):
            out["held"][line_of(a["organisation_id"], top)] += a["balance_fen"]
    return out


class CareReport(unittest.TestCase):
    def check(self, client, top, report):
        want = recount(client, top)
        self.assertEqual(report["organisation_id"], top)
        self.assertEqual(report["count"], want["count"])
        self.assertEqual(report["disbursed_fen"], want["disbursed"])
        self.assertEqual(report["units"], want["units"])
        self.assertEqual(report["people"], want["people"])
        self.assertEqual(report["held_fen"], sum(want["held"].values()))
        self.assertEqual(report["received_fen"], report["held_fen"] + report["disbursed_fen"])
        self.assertEqual({c["code"]: c["amount_fen"] for c in report["categories"]},
                         dict(want["categories"]))
        self.assertEqual({k["code"]: k["amount_fen"] for k in report["kinds"]}, dict(want["kinds"]))
        self.assertEqual([m["code"] for m in report["months"]], sorted(want["months"]))
        self.assertEqual({m["code"]: m["amount_fen"] for m in report["months"]},
                         dict(want["months"]))
        lines = {o["organisation_id"]: o for o in report["organisations"]}
        self.assertTrue(report["organisations"][0]["own"])
        self.assertEqual(report["organisations"][0]["organisation_id"], top)
        children = {o["id"] for o in ORGS.values() if o["parent_id"] == top}
        self.assertEqual(set(lines) - {top}, children, "one line per direct child")
        for org, line in lines.items():
            self.assertEqual(line["disbursed_fen"], want["lines"][org], line["name"])
            self.assertEqual(line["count"], want["line_counts"][org], line["name"])
            self.assertEqual(line["held_fen"], want["held"][org], line["name"])
            self.assertEqual(line["received_fen"], line["held_fen"] + line["disbursed_fen"])
        self.assertEqual(sum(lv["held_fen"] for lv in report["levels"]), report["held_fen"])

    def test_province_report_recounts_from_the_disbursements(self):
        admin = SERVER.login("admin")
        r = admin.get(f"{V1}/programmes/{PROGRAMME['id']}/report")
        self.assertEqual(r.status, 200, r)
        report = r.json()
        self.check(admin, IDS["root"], report)
        # The whole budget is either paid or still held somewhere; nothing is lost on the way.
        self.assertEqual(report["budget_fen"], 200_000_000)
        self.assertEqual(report["received_fen"], 200_000_000)
        self.assertEqual(report["disbursed_fen"], 123_456 + 200_001 + 99_999 + 50_050 + 70_000
                         + 88_888 + 7_640_000)
        self.assertEqual([lv["level"] for lv in report["levels"]][:2], ["province", "league"])

    def test_league_report_for_the_league_and_by_the_province(self):
        baotou = SERVER.login("baotou")
        r = baotou.get(f"{V1}/programmes/{PROGRAMME['id']}/report")
        self.assertEqual(r.status, 200, r)
        report = r.json()
        self.check(baotou, IDS["baotou"], report)
        self.assertEqual(report["budget_fen"], 50_000_000, "what reached Baotou")
        self.assertEqual(report["received_fen"], 50_000_000)
        # The province asks for Baotou's: the same figures.
        admin = SERVER.login("admin")
        same = admin.get(f"{V1}/programmes/{PROGRAMME['id']}/report"
                         f"?organisation_id={IDS['baotou']}").json()
        for key in ("budget_fen", "received_fen", "disbursed_fen", "held_fen", "count",
                    "organisations", "categories", "kinds", "months", "levels"):
            self.assertEqual(same[key], report[key], key)

    def test_scope_and_bad_input(self):
        baotou = SERVER.login("baotou")
        r = baotou.get(f"{V1}/programmes/{PROGRAMME['id']}/report"
                       f"?organisation_id={IDS['hohhot']}")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field"], "organisation_id")
        self.assertEqual(baotou.get(f"{V1}/programmes/{PROGRAMME['id']}/report"
                                    "?organisation_id=x").status, 400)
        self.assertEqual(baotou.get(f"{V1}/programmes/999999/report").status, 404)
        self.assertEqual(SERVER.login("lecturer").get(
            f"{V1}/programmes/{PROGRAMME['id']}/report").status, 403)
        self.assertEqual(SERVER.login("requester").get(
            f"{V1}/exports/care_report?programme_id={PROGRAMME['id']}").status, 403)
        r = SERVER.login("admin").get(f"{V1}/exports/care_report")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["error"]["field"], "programme_id")


class CareExports(unittest.TestCase):
    def export(self, client, kind, **params):
        params.setdefault("programme_id", PROGRAMME["id"])
        r = client.get(f"{V1}/exports/{kind}?" + urllib.parse.urlencode(params))
        self.assertEqual(r.status, 200, r)
        return r.body

    @staticmethod
    def xlsx_text(body):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return b"".join(z.read(n) for n in z.namelist()).decode("utf-8")

    def test_disbursements_export_is_masked_and_complete(self):
        admin = SERVER.login("admin")
        csv_bytes = self.export(admin, "care_disbursements", format="csv")
        text = csv_bytes.decode("utf-8-sig")
        xlsx = self.xlsx_text(self.export(admin, "care_disbursements"))
        for number in PAID_IDS:
            self.assertNotIn(number, text)
            self.assertNotIn(number, xlsx)
            mask = number[:4] + "*" * 10 + number[-4:]
            self.assertIn(mask, text)
        self.assertNotIn("13912345678", text)
        self.assertIn("139****5678", text)
        self.assertIn("包工发〔2027〕3号", text)
        # Every payment is a row: the amounts in yuan add up to the report's total.
        rows = [line for line in text.splitlines() if line.count(",") >= 9 and "报表" in line
                or "包头市某焦化企业" in line]
        self.assertEqual(len(rows), 7, rows)
        # Baotou's export holds Baotou's subtree only.
        baotou = SERVER.login("baotou")
        text = self.export(baotou, "care_disbursements", format="csv").decode("utf-8-sig")
        self.assertNotIn("呼和浩特市总工会", text)
        self.assertIn("包头市总工会", text)

    def test_report_export_has_every_table(self):
        admin = SERVER.login("admin")
        text = self.export(admin, "care_report", format="csv", lang="en").decode("utf-8-sig")
        for title in ("Totals", "By organisation", "By category", "By kind of aid", "By month",
                      "Held by level"):
            self.assertIn(title, text)
        # Budget 2,000,000.00 yuan, all of it received.
        self.assertIn("2000000.00,2000000.00", text)
        xlsx = self.xlsx_text(self.export(admin, "care_report"))
        self.assertIn("按组织", xlsx)

    def test_the_command_writes_what_the_api_answers(self):
        baotou = SERVER.login("baotou")
        for kind in ("care_disbursements", "care_report"):
            out = os.path.join(SERVER.dir, kind + ".csv")
            r = SERVER.cli("export", kind, "--format", "csv", "-o", out, "--as", "baotou",
                           "--programme-id", str(PROGRAMME["id"]))
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, "rb") as f:
                mine = f.read().decode("utf-8-sig")
            api = self.export(baotou, kind, format="csv").decode("utf-8-sig")
            # The first line is the time of export; the rest is the same table.
            self.assertEqual(mine.splitlines()[2:], api.splitlines()[2:], kind)
            self.assertIn("包头市总工会", mine)
            for number in PAID_IDS:
                self.assertNotIn(number, mine)
        # By default the whole tree as an admin sees it, as xlsx.
        out = os.path.join(SERVER.dir, "care.xlsx")
        r = SERVER.cli("export", "care_disbursements", "-o", out,
                       "--programme-id", str(PROGRAMME["id"]))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertIn("呼和浩特市总工会", self.xlsx_text(f.read()))

    def test_the_command_refuses_without_a_programme(self):
        out = os.path.join(SERVER.dir, "none.csv")
        for args, words in ((["--format", "csv"], "programme_id"),
                            (["--programme-id", "999999"], "")):
            r = SERVER.cli("export", "care_report", "-o", out, *args)
            self.assertEqual(r.returncode, 1, (args, r.stderr))
            self.assertIn(words, r.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(out + ".partial"))


class CarePhotos(unittest.TestCase):
    """Photos of a visit, through the photo store: in scope only, pictures only."""

    def test_photo_of_a_visit_in_scope(self):
        baotou = SERVER.login("baotou")
        mine = next(d for d in all_disbursements(baotou) if d["organisation_id"] == IDS["baotou"])
        picture = png_bytes(width=6, height=4, shade=42)
        r = baotou.request("POST", f"{V1}/disbursements/{mine['id']}/photos", raw=picture,
                           headers={"Content-Type": "image/png"})
        self.assertEqual(r.status, 201, r)
        photo = r.json()
        listed = baotou.get(f"{V1}/disbursements/{mine['id']}/photos").json()
        self.assertEqual([p["id"] for p in listed["items"]], [photo["id"]])
        got = baotou.get(photo["url"].replace("/api/v1", V1))
        self.assertEqual(got.status, 200)
        self.assertEqual(got.body, picture)
        # Not a picture: 422 on photo, nothing stored.
        r = baotou.request("POST", f"{V1}/disbursements/{mine['id']}/photos", raw=b"not a picture",
                           headers={"Content-Type": "image/png"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["field"], "photo")
        self.assertEqual(baotou.get(f"{V1}/disbursements/{mine['id']}/photos").json()["total"], 1)
        # Hohhot's visit and its photo do not exist for Baotou.
        admin = SERVER.login("admin")
        theirs = next(d for d in all_disbursements(admin) if d["organisation_id"] == IDS["hohhot"])
        r = admin.request("POST", f"{V1}/disbursements/{theirs['id']}/photos", raw=picture,
                          headers={"Content-Type": "image/png"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(baotou.request("POST", f"{V1}/disbursements/{theirs['id']}/photos",
                                        raw=picture, headers={"Content-Type": "image/png"}).status,
                         404)
        self.assertEqual(baotou.get(f"{V1}/care-photos/{r.json()['id']}").status, 404)
        self.assertEqual(SERVER.login("lecturer").get(photo["url"].replace("/api/v1", V1)).status,
                         403)


class CareDemo(unittest.TestCase):
    """The demo's two-festivals programme and its round of subsidies, through the service."""

    def test_fresh_demo_ledger_verifies(self):
        self.assertEqual(DEMO_VERIFY.returncode, 0, DEMO_VERIFY.stdout + DEMO_VERIFY.stderr)
        self.assertIn("2 programmes", DEMO_VERIFY.stdout)

    def test_demo_programmes_as_described(self):
        admin = SERVER.login("admin")
        items = admin.get(f"{V1}/programmes?page_size=50").json()["items"]
        warmth = next(p for p in items if p["title"].endswith("元旦春节两节送温暖"))
        subsidy = next(p for p in items if p["title"].endswith("困难企业职工帮扶补助资金"))
        self.assertEqual(warmth["budget_fen"], 1_000_000_000)
        self.assertEqual(subsidy["budget_fen"], 764_000_000)
        report = admin.get(f"{V1}/programmes/{warmth['id']}/report").json()
        self.assertEqual(report["count"], 300)
        leagues = [o for o in report["organisations"] if o["level"] == "league"]
        self.assertEqual(len(leagues), 12)
        self.assertTrue(all(o["received_fen"] > 0 for o in leagues))
        self.assertEqual(sum(o["received_fen"] for o in leagues), 800_000_000)
        self.assertIn("county", [lv["level"] for lv in report["levels"]])
        visits = admin.get(f"{V1}/disbursements?programme_id={warmth['id']}&page_size=5").json()
        for d in visits["items"]:
            mask = d["id_number_masked"]
            self.assertRegex(mask, r"^\d{4}\*{10}[\dX]{4}$")
        units = admin.get(f"{V1}/subsidies?programme_id={subsidy['id']}&page_size=50").json()
        self.assertEqual(units["total"], 12)
        self.assertEqual(sum(d["amount_fen"] for d in units["items"]), 764_000_000)
        self.assertEqual({d["document_no"] for d in units["items"]}, {
            units["items"][0]["document_no"]})

    def test_voucher_pilot_in_hohhot(self):
        admin = SERVER.login("admin")
        hohhot = next(o for o in ORGS.values() if o["name"] == "呼和浩特市总工会")
        merchants = admin.get(f"{V1}/vouchers/merchants?page_size=50").json()["items"]
        self.assertEqual(len(merchants), 2)
        self.assertTrue(all(m["organisation_id"] == hohhot["id"] for m in merchants))
        batches = admin.get(f"{V1}/vouchers/batches?page_size=50").json()["items"]
        self.assertEqual(len(batches), 1)
        b = batches[0]
        self.assertEqual((b["face_value_fen"], b["count"], b["issued"], b["redeemed"], b["state"]),
                         (20_000, 200, 80, 12, "open"))
        self.assertEqual(b["organisation_id"], hohhot["id"])
        one = admin.get(f"{V1}/vouchers/batches/{b['id']}").json()
        self.assertEqual({m["id"] for m in one["merchants"]}, {m["id"] for m in merchants})
        # Each till sees only its own redemptions: eight at the supermarket, four at the pharmacy.
        counts = []
        for till in ("merchant", "pharmacy"):
            client = SERVER.login(till)
            self.assertEqual(client.get(f"{V1}/auth/me").json()["permissions"], ["voucher.redeem"])
            counts.append(client.get(f"{V1}/vouchers/redemptions").json()["total"])
        self.assertEqual(counts, [8, 4])
        # The report keeps every fen: Hohhot still received 1,000,000 yuan, of which the batch
        # holds the unredeemed vouchers and the redeemed ones count as paid.
        warmth = next(p for p in admin.get(f"{V1}/programmes?page_size=50").json()["items"]
                      if p["title"].endswith("元旦春节两节送温暖"))
        report = admin.get(f"{V1}/programmes/{warmth['id']}/report"
                           f"?organisation_id={hohhot['id']}").json()
        self.assertEqual(report["received_fen"], 100_000_000)
        self.assertEqual(report["received_fen"], report["held_fen"] + report["disbursed_fen"])


if __name__ == "__main__":
    unittest.main()
