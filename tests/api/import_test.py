"""Issue 15, point 5: import of lecturers, organisations and past sessions from CSV (UTF-8 or
GBK) and .xlsx. All rows or none; errors by row and column; the same file twice creates nothing;
bad files get a 4xx and change nothing; names resolve only within the importer's scope. Run:
XJ_BIN=build/dev/src/cli/xuanjiang /usr/bin/python3 -m unittest tests/api/import_test.py
"""
import csv
import datetime
import io
import os
import socket
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from harness import Response, Server, past_campaign, png_bytes  # noqa: E402

V1 = "/api/v1"
LECTURER_HEADER = ["姓名", "所属组织", "性别", "民族", "宣讲员类别", "荣誉", "工作单位", "所在地区",
                   "宣讲主题", "宣讲语言", "手机号码", "简介"]
SESSION_HEADER = ["日期", "开始时间", "结束时间", "宣讲题目", "宣讲地点", "承办单位", "所在地区", "行业",
                  "形式", "受众群体", "现场人数", "线上观看人数", "宣讲员", "宣讲活动", "宣讲概要"]


def setUpModule():
    global SERVER, ADMIN
    SERVER = Server(demo=True)
    ADMIN = SERVER.login("admin")


def tearDownModule():
    SERVER.stop()


def csv_bytes(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, formula_at=None):
    import openpyxl  # python3-openpyxl (tools/install-deps.sh)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lecturer_row(name, org="包头市总工会", category="劳动模范", employer="包钢集团", **extra):
    row = dict(zip(LECTURER_HEADER, [name, org, "女", "蒙古族", category, "全国劳动模范、北疆工匠",
                                     employer, "包头市", "劳模精神、工匠精神", "汉语、蒙古语",
                                     "13800138000", "从事稀土冶炼三十年"]))
    row.update(extra)
    return [row[h] for h in LECTURER_HEADER]


def upload(client, kind, data, dry_run=False):
    return client.post(f"{V1}/imports/{kind}{'?dry_run=true' if dry_run else ''}", raw=data,
                       headers={"Content-Type": "application/octet-stream"})


def total(path):
    return ADMIN.get(f"{V1}{path}{'&' if '?' in path else '?'}page_size=1").json()["total"]


def counts():
    return (total("/lecturers"), total("/organisations"), total("/sessions"), total("/audit"))


class AllOrNothing(unittest.TestCase):
    """One bad row among thousands: nothing written, that row named; then the good file once."""

    def test_one_bad_row_among_thousands_writes_nothing_and_names_it(self):
        organiser = SERVER.login("organiser")
        rows = [LECTURER_HEADER] + [lecturer_row(f"批量宣讲员{i:04d}", employer=f"第{i}车间")
                                    for i in range(3000)]
        rows[1733][4] = "神仙"  # data row 1733 is the sheet's row 1734
        before = counts()
        r = upload(organiser, "lecturers", csv_bytes(rows))
        self.assertEqual(r.status, 422, r)
        body = r.json()
        self.assertEqual(body["error"]["code"], "invalid")
        report = body["report"]
        self.assertFalse(report["committed"])
        self.assertEqual(report["counts"]["rows"], 3000)
        self.assertEqual(report["counts"]["errors"], 1)
        self.assertEqual([(p["row"], p["column"], p["header"]) for p in report["problems"]],
                         [(1734, "E", "宣讲员类别")])
        self.assertIn("神仙", report["problems"][0]["message"])
        bad = [row for row in report["rows"] if row["status"] == "error"]
        self.assertEqual([row["row"] for row in bad], [1734])
        self.assertEqual(bad[0]["cells"][0], "批量宣讲员1732")
        self.assertEqual(counts(), before)

        rows[1733][4] = "model_worker"  # a code is as good as the name
        r = upload(organiser, "lecturers", csv_bytes(rows), dry_run=True)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["counts"]["created"], 3000)
        self.assertFalse(r.json()["committed"])
        self.assertEqual(counts(), before)

        r = upload(organiser, "lecturers", csv_bytes(rows))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["committed"])
        self.assertEqual(r.json()["counts"]["created"], 3000)
        self.assertEqual(total("/lecturers"), before[0] + 3000)
        after = counts()

        r = upload(organiser, "lecturers", csv_bytes(rows))
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["counts"]["created"], r.json()["counts"]["unchanged"]),
                         (0, 3000))
        self.assertEqual(counts(), after)

    def test_a_row_repeated_in_the_file_is_named_with_the_row_it_repeats(self):
        organiser = SERVER.login("organiser")
        rows = [LECTURER_HEADER, lecturer_row("重复宣讲员"), lecturer_row("重复宣讲员")]
        r = upload(organiser, "lecturers", csv_bytes(rows))
        self.assertEqual(r.status, 422, r)
        self.assertEqual([(p["row"], p["column"]) for p in r.json()["report"]["problems"]],
                         [(3, "A")])
        self.assertIn("第 2 行", r.json()["report"]["problems"][0]["message"])
        en = SERVER.login("organiser", lang="en")
        r = upload(en, "lecturers", csv_bytes(rows))
        self.assertIn("repeats row 2", r.json()["report"]["problems"][0]["message"])


class Encodings(unittest.TestCase):
    """GBK as Excel on Chinese Windows writes it; .xlsx with real dates; organisations."""

    def test_a_gbk_csv_imports_with_its_chinese_intact(self):
        organiser = SERVER.login("organiser")
        rows = [LECTURER_HEADER,
                lecturer_row("乌兰其其格", employer="鄂尔多斯市东胜区环卫处", category="工匠")]
        data = csv_bytes(rows, encoding="gbk")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        r = upload(organiser, "lecturers", data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["header"], LECTURER_HEADER)
        found = organiser.get(f"{V1}/lecturers?q={urllib.parse.quote('乌兰其其格')}").json()["items"]
        self.assertEqual(len(found), 1)
        lecturer = found[0]
        self.assertEqual(lecturer["employer"], "鄂尔多斯市东胜区环卫处")
        self.assertEqual(lecturer["bio"], "从事稀土冶炼三十年")
        self.assertEqual(lecturer["honours"], ["全国劳动模范", "北疆工匠"])
        self.assertEqual(lecturer["category"], "craftsman")
        self.assertEqual(lecturer["region_code"], "150200")
        self.assertEqual(lecturer["topics"], ["model_worker_spirit", "craftsmanship"])
        self.assertEqual(lecturer["languages"], ["zh", "mn"])
        self.assertEqual(lecturer["gender"], "female")

    def test_sessions_from_xlsx_with_dates_import_once(self):
        organiser = SERVER.login("organiser")
        campaign = past_campaign(organiser)
        lecturers = organiser.get(f"{V1}/lecturers?page_size=200").json()["items"]
        names = [l["name"] for l in lecturers]
        lecturer = next(l for l in lecturers if names.count(l["name"]) == 1)
        day = datetime.date.fromisoformat(campaign["start_date"]) + datetime.timedelta(days=3)
        rows = [SESSION_HEADER,
                [day, "09:30", "11:00", "工匠精神进车间", "导入测试礼堂", "包头市总工会", "", "制造业",
                 "线下", "一线职工", 120, None, lecturer["name"], campaign["title"], "导入的往期宣讲"],
                [day, None, None, "线上宣讲", "导入测试直播间", "包头市总工会", "包头市", "C",
                 "线上", "frontline_workers", 0, 3000, lecturer["name"], str(campaign["id"]), None]]
        data = xlsx_bytes(rows)
        before = total("/sessions")
        r = upload(organiser, "sessions", data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["counts"]["created"], 2)
        self.assertEqual(total("/sessions"), before + 2)
        items = organiser.get(f"{V1}/sessions?q={urllib.parse.quote('导入测试礼堂')}").json()["items"]
        self.assertEqual(len(items), 1)
        s = organiser.get(f"{V1}/sessions/{items[0]['id']}").json()
        self.assertEqual((s["date"], s["start_time"], s["source"], s["industry"]),
                         (day.isoformat(), "09:30", "imported", "C"))
        self.assertEqual((s["audience_group"], s["audience_offline"], s["lecturer_ids"]),
                         ("frontline_workers", 120, [lecturer["id"]]))
        self.assertEqual(s["campaign_id"], campaign["id"])
        self.assertEqual(s["region_code"], "150200")  # the host's, when the cell is empty
        r = upload(organiser, "sessions", data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["counts"]["created"], r.json()["counts"]["unchanged"]), (0, 2))
        self.assertEqual(total("/sessions"), before + 2)

    def test_organisations_may_name_a_parent_made_by_an_earlier_row(self):
        rows = [["名称", "上级组织", "级别", "行政区划", "行业", "地址"],
                ["【填写说明】必填", "", "", "", "", ""],
                ["导入测试公司工会", "包头市总工会", "基层", "包头市", "制造业", "包头市昆都仑区"],
                ["导入测试车间分会", "导入测试公司工会", "基层", "150203", "", ""]]
        r = upload(ADMIN, "organisations", xlsx_bytes(rows))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["counts"]["created"], 2)
        self.assertEqual([row["row"] for row in r.json()["rows"]], [3, 4])
        r = upload(ADMIN, "organisations", xlsx_bytes(rows))
        self.assertEqual((r.json()["counts"]["created"], r.json()["counts"]["unchanged"]), (0, 2))


class BadFiles(unittest.TestCase):
    """A clear 4xx for what is no table of this kind, and nothing changes."""

    def oversized(self, client, path, size):
        """Announces `size` bytes and sends the first megabyte; the server answers 413."""
        with socket.create_connection(("127.0.0.1", SERVER.port), timeout=30) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nCookie: {client.cookie}\r\n"
                         f"X-CSRF-Token: {client.csrf}\r\nContent-Type: text/csv\r\n"
                         f"Content-Length: {size}\r\n\r\n".encode())
            try:
                sock.sendall(b"a,b\r\n" * (1 << 18))
            except (BrokenPipeError, ConnectionResetError):
                pass
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        return int(data.split(b" ")[1])

    def check(self, r, status, *words):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.json()["error"]["field"], "file")
        for w in words:
            self.assertIn(w, r.json()["error"]["message"])

    def test_binary_empty_huge_formula_and_wrong_header_are_refused(self):
        organiser = SERVER.login("organiser")
        before = counts()
        self.check(upload(organiser, "lecturers", png_bytes()), 400, "不是")
        self.check(upload(organiser, "lecturers", b""), 400, "空")
        self.check(upload(organiser, "lecturers", b"\xef\xbb\xbf\r\n"), 400, "空")
        self.check(upload(organiser, "lecturers", b"PK\x03\x04broken"), 400, "xlsx")
        self.assertEqual(self.oversized(organiser, f"{V1}/imports/lecturers", 50 << 20), 413)
        rows = [LECTURER_HEADER, lecturer_row("公式宣讲员")]
        self.check(upload(organiser, "lecturers", xlsx_bytes(rows, formula_at="C2")), 400,
                   "第 2 行第 C 列", "公式")
        self.check(upload(organiser, "lecturers", csv_bytes([["名字", "单位"], ["甲", "乙"]])), 400,
                   "名字", "姓名")
        self.check(upload(organiser, "sessions", csv_bytes([LECTURER_HEADER])), 400, "宣讲场次")
        self.check(upload(organiser, "lecturers", csv_bytes([LECTURER_HEADER])), 400, "没有")
        self.assertEqual(counts(), before)

    def test_templates_download_and_read_back_as_an_empty_import(self):
        organiser = SERVER.login("organiser")
        for kind, first in (("lecturers", "姓名"), ("organisations", "名称"),
                            ("sessions", "日期")):
            r = organiser.get(f"{V1}/imports/{kind}/template?format=csv")
            self.assertEqual(r.status, 200, r)
            self.assertIn("text/csv", r.header("Content-Type"))
            self.assertTrue(r.body.startswith(b"\xef\xbb\xbf" + first.encode()))
            self.assertIn("【填写说明】".encode(), r.body)
            r = organiser.get(f"{V1}/imports/{kind}/template?format=xlsx")
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.body.startswith(b"PK\x03\x04"))
            import openpyxl
            sheet = openpyxl.load_workbook(io.BytesIO(r.body)).active
            self.assertEqual(sheet["A1"].value, first)
            # The template itself, untouched: the note row is skipped, no data rows remain.
            self.check(upload(ADMIN, kind, r.body), 400, "没有")
        self.assertEqual(organiser.get(f"{V1}/imports/lecturers/template?format=pdf").status, 400)


class Scope(unittest.TestCase):
    """A league's account imports within its league only; other roles not at all."""

    def test_a_league_account_cannot_import_rows_outside_its_subtree(self):
        baotou = SERVER.login("baotou")
        chifeng = next(o for o in ADMIN.get(f"{V1}/organisations?page_size=200").json()["items"]
                       if o["name"] == "赤峰市总工会")
        before = counts()
        rows = [LECTURER_HEADER, lecturer_row("包头本地宣讲员"),
                lecturer_row("越界宣讲员甲", org="赤峰市总工会"),
                lecturer_row("越界宣讲员乙", org=str(chifeng["id"]))]
        r = upload(baotou, "lecturers", csv_bytes(rows))
        self.assertEqual(r.status, 422, r)
        problems = r.json()["report"]["problems"]
        self.assertEqual([(p["row"], p["column"]) for p in problems], [(3, "B"), (4, "B")])
        self.assertEqual(counts(), before)
        rows = [["名称", "上级组织", "级别", "行政区划"],
                ["越界工会", "赤峰市总工会", "基层", "赤峰市"]]
        r = upload(baotou, "organisations", csv_bytes(rows))
        self.assertIn(r.status, (403, 422), r)
        self.assertEqual(counts(), before)
        r = upload(baotou, "lecturers", csv_bytes(rows[:1] + [lecturer_row("包头本地宣讲员")]))
        self.assertEqual(r.status, 400, r)  # the organisations header is not the lecturers'

    def test_viewers_lecturers_and_requesters_may_not_import(self):
        data = csv_bytes([LECTURER_HEADER, lecturer_row("无权宣讲员")])
        before = counts()
        for user in ("viewer", "lecturer", "requester"):
            client = SERVER.login(user)
            for kind in ("lecturers", "organisations", "sessions"):
                self.assertEqual(upload(client, kind, data).status, 403, f"{user} {kind}")
                self.assertEqual(client.get(f"{V1}/imports/{kind}/template").status, 403)
        self.assertEqual(counts()[:3], before[:3])  # the audit log holds the logins
        self.assertEqual(SERVER.client().post(f"{V1}/imports/lecturers", raw=data).status, 401)


class Cli(unittest.TestCase):
    """xuanjiang import KIND FILE prints the report; --dry-run writes nothing."""

    def test_the_command_line_imports_and_reports(self):
        path = os.path.join(SERVER.dir, "cli.csv")
        with open(path, "wb") as f:
            f.write(csv_bytes([LECTURER_HEADER, lecturer_row("命令行宣讲员"),
                               lecturer_row("命令行错误", category="无此类别")]))
        before = counts()
        r = SERVER.cli("import", "lecturers", path, "--dry-run")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("第 3 行 E 列（宣讲员类别）", r.stdout)
        self.assertEqual(counts(), before)
        with open(path, "wb") as f:
            f.write(csv_bytes([LECTURER_HEADER, lecturer_row("命令行宣讲员")]))
        r = SERVER.cli("import", "lecturers", path, "--as", "organiser", "--lang", "en")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("created 1", r.stdout)
        r = SERVER.cli("import", "lecturers", path)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("新建 0，已存在未变 1", r.stdout)


if __name__ == "__main__":
    unittest.main()
