"""Exports (导出, issue 15 point 4): GET /exports/{kind} read back — .xlsx with Debian's
python3-openpyxl, CSV with Python's csv module — and compared with the API's own list for the same
filters, for the province's admin and for a league (baotou): what a list does not show never
appears in its export, an organisation out of scope never appears at all. Dates are dates,
numbers are numbers, codes are names, the header row is frozen; CSV has a BOM and guards against
formulas; a bad kind, format or filter gets a 4xx that says why.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/exports_test.py
"""
import csv
import datetime
import io
import os
import sys
import unittest
import urllib.parse

import openpyxl

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server, past_campaign  # noqa: E402

V1 = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def setUpModule():
    global SERVER, ADMIN, BAOTOU, CAMPAIGN
    SERVER = Server(demo=True)
    ADMIN = SERVER.login("admin")
    BAOTOU = SERVER.login("baotou")
    CAMPAIGN = past_campaign(ADMIN)["id"]


def tearDownModule():
    SERVER.stop()


def every(client, path):
    """Every item of a list, walked page by page."""
    items, page = [], 1
    sep = "&" if "?" in path else "?"
    while True:
        r = client.get(f"{path}{sep}page={page}&page_size=200")
        assert r.status == 200, r
        body = r.json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def tables_of_xlsx(body):
    """{sheet: (title, notes, header, rows)} of an export, as openpyxl reads it."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
        header = rows[blank + 1]
        out[sheet.title] = (rows[0][0], [r[0] for r in rows[1:blank]], list(header),
                            [list(r) for r in rows[blank + 2:]], sheet.freeze_panes)
    return out


def tables_of_csv(body):
    """[(title, notes, header, rows)] of a CSV export: tables after one another."""
    assert body.startswith(b"\xef\xbb\xbf"), body[:10]
    lines = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))
    tables, i = [], 0
    while i < len(lines):
        title = lines[i][0]
        j = i + 1
        while lines[j]:
            j += 1
        notes = [line[0] for line in lines[i + 1:j]]
        header = lines[j + 1]
        k = j + 2
        while k < len(lines) and lines[k]:
            k += 1
        tables.append((title, notes, header, lines[j + 2:k]))
        i = k + 1
    return tables


def export(client, kind, **params):
    r = client.get(f"{V1}/exports/{kind}?" + urllib.parse.urlencode(params))
    assert r.status == 200, r
    return r


def column(header, rows, name):
    at = header.index(name)
    return [row[at] for row in rows]


class ExportSessionLedger(unittest.TestCase):
    def check(self, client, filters, list_filters):
        listed = every(client, V1 + "/sessions?" + urllib.parse.urlencode(list_filters))
        self.assertTrue(listed)
        r = export(client, "sessions", format="xlsx", **filters)
        self.assertEqual(r.header("Content-Type"), XLSX)
        disposition = r.header("Content-Disposition")
        self.assertIn("filename*=UTF-8''" + urllib.parse.quote("宣讲场次台账_"), disposition)
        self.assertTrue(disposition.startswith('attachment; filename="sessions_'), disposition)
        title, notes, header, rows, frozen = tables_of_xlsx(r.body)["宣讲场次"]
        self.assertEqual(title, "宣讲场次台账")
        self.assertTrue(any(n.startswith("导出时间：") for n in notes), notes)
        self.assertEqual(frozen, f"A{len(notes) + 4}")  # title, notes, blank, header
        self.assertEqual(len(rows), len(listed))
        # Same sessions in the same order: date, title, host and everyone reached.
        self.assertEqual(
            [(r[0].date().isoformat(), r[4], r[6], r[15]) for r in rows],
            [(s["date"], s["title"], s["host_organisation_name"], s["total_audience"])
             for s in listed])
        self.assertTrue(all(isinstance(d, datetime.datetime) for d in column(header, rows, "日期")))
        self.assertTrue(all(isinstance(n, int) for n in column(header, rows, "现场听众")))
        # Codes as names: no audience-group code, no industry letter, no format code.
        self.assertFalse(set(column(header, rows, "受众群体")) & {s["audience_group"] for s in listed})
        self.assertTrue(all(v is None or len(v) > 1 for v in column(header, rows, "行业")))
        self.assertTrue(set(column(header, rows, "形式")) <= {"线下", "线上", "主会场+分会场"})

        csv_title, csv_notes, csv_header, csv_rows = tables_of_csv(
            export(client, "sessions", format="csv", **filters).body)[0]
        self.assertEqual((csv_title, csv_header), (title, header))
        self.assertEqual(len(csv_rows), len(rows))
        self.assertEqual([(r[0], r[4], int(r[15])) for r in csv_rows],
                         [(s["date"], s["title"], s["total_audience"]) for s in listed])
        return rows, notes

    def test_the_whole_province_as_the_admin_sees_it(self):
        rows, notes = self.check(ADMIN, {}, {})
        self.assertIn("筛选条件：无（全部）", notes)
        self.assertIn("数据范围：内蒙古自治区总工会及其下级组织", notes)

    def test_a_league_sees_its_own_and_nothing_of_its_neighbours(self):
        rows, notes = self.check(BAOTOU, {}, {})
        mine = {s["host_organisation_name"] for s in every(BAOTOU, V1 + "/sessions")}
        others = {s["host_organisation_name"] for s in every(ADMIN, V1 + "/sessions?region_code=150300")}
        self.assertTrue(others)
        self.assertEqual({r[6] for r in rows}, mine)
        self.assertFalse({r[6] for r in rows} & others)
        self.assertIn("数据范围：包头市总工会及其下级组织", notes)
        # Naming an organisation out of scope narrows to nothing rather than revealing it.
        wuhai = next(o["id"] for o in every(ADMIN, V1 + "/organisations")
                     if o["name"] == "乌海市总工会")
        r = export(BAOTOU, "sessions", format="csv", organisation_id=wuhai)
        self.assertEqual(tables_of_csv(r.body)[0][3], [])

    def test_the_lists_filters_apply_and_are_written_in_words(self):
        filters = {"campaign_id": CAMPAIGN, "region_code": "150200", "audience_group":
                   "frontline_workers", "date_from": "2022-12-01", "date_to": "2022-12-31"}
        rows, notes = self.check(ADMIN, {**filters, "session_format": "offline"},
                                 {**filters, "format": "offline"})
        words = notes[0]
        for expected in ("宣讲活动：“学习宣传贯彻党的二十大精神”", "地区：包头市", "形式：线下",
                         "受众群体：一线职工", "日期：2022-12-01 至 2022-12-31"):
            self.assertIn(expected, words)

    def test_english_headers_and_names_when_asked(self):
        r = export(ADMIN, "sessions", format="csv", lang="en", campaign_id=CAMPAIGN)
        title, notes, header, rows = tables_of_csv(r.body)[0]
        self.assertEqual(title, "Session ledger")
        self.assertEqual(header[:3], ["Date", "Starts", "Ends"])
        self.assertTrue(set(column(header, rows, "Format")) <= {"Offline", "Online", "Hybrid"})
        self.assertIn("filename*=UTF-8''sessions_", r.header("Content-Disposition"))
        # Accept-Language counts too when no lang is given.
        r = SERVER.login("admin", lang="en").get(V1 + "/exports/lecturers?format=csv")
        self.assertEqual(tables_of_csv(r.body)[0][0], "Lecturers")

    def test_a_lecturer_exports_their_own_sessions(self):
        lecturer = SERVER.login("lecturer")
        listed = every(lecturer, V1 + "/sessions")
        rows = tables_of_csv(export(lecturer, "sessions", format="csv").body)[0][3]
        self.assertEqual(len(rows), len(listed))


class ExportOtherLists(unittest.TestCase):
    def test_lecturers_as_the_list_shows_them_without_phone_or_biography(self):
        for client in (ADMIN, BAOTOU):
            listed = every(client, V1 + "/lecturers")
            title, notes, header, rows, _ = tables_of_xlsx(
                export(client, "lecturers").body)["宣讲员"]
            self.assertEqual([r[0] for r in rows], [l["name"] for l in listed])
            self.assertNotIn("电话", header)
            text = repr(rows)
            for l in listed:
                if l["phone"]:
                    self.assertNotIn(l["phone"], text)
            self.assertTrue(set(column(header, rows, "状态")) <= {"在册", "停用"})
        baotou = {l["name"] for l in every(BAOTOU, V1 + "/lecturers")}
        everyone = {l["name"] for l in every(ADMIN, V1 + "/lecturers")}
        self.assertLess(baotou, everyone)
        rows = tables_of_csv(export(BAOTOU, "lecturers", format="csv").body)[0][3]
        self.assertEqual({r[0] for r in rows}, baotou)

    def test_orders_with_the_lists_filters(self):
        for client in (ADMIN, BAOTOU):
            for filters in ({}, {"state": "submitted,dispatched", "campaign_id": CAMPAIGN},
                            {"sort": "priority"}):
                listed = every(client, V1 + "/orders?" + urllib.parse.urlencode(filters))
                title, notes, header, rows, _ = tables_of_xlsx(
                    export(client, "orders", **filters).body)["宣讲需求"]
                self.assertEqual([r[0] for r in rows], [o["id"] for o in listed])
                self.assertEqual(column(header, rows, "点单单位"),
                                 [o["organisation_name"] for o in listed])
                self.assertTrue(all(isinstance(d, datetime.datetime)
                                    for d in column(header, rows, "期望开始日期")))
                self.assertNotIn("联系电话", header)
                for o in listed:
                    if o["contact_phone"]:
                        self.assertNotIn(o["contact_phone"], repr(rows))
        rows = tables_of_xlsx(export(BAOTOU, "orders").body)["宣讲需求"][3]
        self.assertTrue(rows)
        admin_orders = every(ADMIN, V1 + "/orders?region_code=150300")
        self.assertTrue(admin_orders)
        self.assertFalse({r[0] for r in rows} & {o["id"] for o in admin_orders})

    def test_a_sessions_feedback_with_the_formula_guard(self):
        session = every(BAOTOU, V1 + f"/sessions?campaign_id={CAMPAIGN}")[0]
        organiser = SERVER.login("organiser")
        r = organiser.post(f"{V1}/sessions/{session['id']}/feedback",
                           {"rating": 4, "comment": "=HYPERLINK(\"http://x\",\"点我\")",
                            "audience_group": "frontline_workers"})
        self.assertEqual(r.status, 201, r)
        listed = every(ADMIN, V1 + f"/sessions/{session['id']}/feedback")
        body = export(ADMIN, "feedback", format="csv", session_id=session["id"]).body
        self.assertIn(b"\"'=HYPERLINK(\"\"http://x\"\",\"\"\xe7\x82\xb9\xe6\x88\x91\"\")\"", body)
        title, notes, header, rows = tables_of_csv(body)[0]
        self.assertEqual(len(rows), len(listed))
        self.assertEqual([int(r[1]) for r in rows], [a["rating"] for a in listed])
        self.assertIn("一线职工", column(header, rows, "听众群体"))
        self.assertIn("工作人员录入", column(header, rows, "来源"))
        # In .xlsx a text is a text: the comment reads back as written, not as a formula.
        x = tables_of_xlsx(export(ADMIN, "feedback", session_id=session["id"]).body)["评价"]
        self.assertIn("=HYPERLINK(\"http://x\",\"点我\")", column(x[2], x[3], "评价内容"))
        # Out of scope, the session does not exist.
        wuhai = every(ADMIN, V1 + "/sessions?region_code=150300")[0]
        self.assertEqual(BAOTOU.get(f"{V1}/exports/feedback?session_id={wuhai['id']}").status, 404)


class ExportStatistics(unittest.TestCase):
    def test_every_table_of_the_dashboard_one_sheet_each(self):
        for client in (ADMIN, BAOTOU):
            figures = client.get(f"{V1}/campaigns/{CAMPAIGN}/statistics").json()
            sheets = tables_of_xlsx(export(client, "statistics", campaign_id=CAMPAIGN).body)
            self.assertEqual(list(sheets), ["盟市完成情况", "受众群体", "行业分布", "宣讲员类别",
                                            "每周宣讲趋势", "宣讲员场次排行", "目标完成进度"])
            leagues = sheets["盟市完成情况"][3]
            self.assertEqual([(r[0], r[1], r[2]) for r in leagues],
                             [(l["name"], l["sessions"], l["audience"])
                              for l in figures["regions"]])
            weekly = sheets["每周宣讲趋势"][3]
            self.assertEqual([(r[0].date().isoformat(), r[1]) for r in weekly],
                             [(w["week_start"], w["sessions"]) for w in figures["weekly"]])
            top = sheets["宣讲员场次排行"][3]
            self.assertEqual([(r[1], r[2]) for r in top],
                             [(l["name"], l["sessions"]) for l in figures["lecturers"]])
            industries = sheets["行业分布"][3]
            self.assertEqual(sum(r[1] for r in industries),
                             sum(i["sessions"] for i in figures["industries"]))
            self.assertFalse(any(len(r[0]) == 1 for r in industries))  # names, not letters
            tables = tables_of_csv(export(client, "statistics", format="csv",
                                          campaign_id=CAMPAIGN).body)
            self.assertEqual(len(tables), 7)
            self.assertTrue(tables[0][0].startswith("盟市完成情况 · "))
        # A league's tables hold its own league (and where its branch venues reached), not the
        # province's twelve, as its dashboard does.
        baotou = tables_of_xlsx(export(BAOTOU, "statistics", campaign_id=CAMPAIGN).body)
        province = tables_of_xlsx(export(ADMIN, "statistics", campaign_id=CAMPAIGN).body)
        self.assertEqual(len(province["盟市完成情况"][3]), 12)
        self.assertLess(len(baotou["盟市完成情况"][3]), 12)
        self.assertIn("数据范围：包头市总工会及其下级组织", baotou["受众群体"][1])
        # The statistics take no region: one given is not written as if it applied.
        notes = tables_of_xlsx(export(ADMIN, "statistics", campaign_id=CAMPAIGN,
                                      region_code="150300").body)["受众群体"][1]
        self.assertFalse(any("地区" in n for n in notes), notes)


    def test_a_period_and_a_campaign_set_export_the_figures_of_get_statistics(self):
        query = {"from": "2022-10-01", "to": "2022-12-31", "campaign_ids": str(CAMPAIGN)}
        for client in (ADMIN, BAOTOU):
            figures = client.get(f"{V1}/statistics?" + urllib.parse.urlencode(query)).json()
            sheets = tables_of_xlsx(export(client, "statistics", **query).body)
            self.assertEqual(list(sheets), ["盟市", "旗县区", "行业分布", "受众群体", "宣讲员类别",
                                            "宣讲形式", "月度", "每周宣讲趋势", "宣讲员场次排行"])
            for sheet, key in (("盟市", "leagues"), ("受众群体", "audience_groups"),
                               ("宣讲员类别", "lecturer_categories"), ("月度", "months")):
                self.assertEqual([tuple(r[1:5]) for r in sheets[sheet][3]],
                                 [(c["sessions"], c["audience"], c["previous_sessions"],
                                   c["previous_audience"]) for c in figures[key]], sheet)
            self.assertEqual(sum(r[1] for r in sheets["旗县区"][3]),
                             sum(c["sessions"] for c in figures["counties"]))
            self.assertEqual([r[0] for r in sheets["宣讲形式"][3]], ["线下", "线上", "主会场+分会场"])
            self.assertEqual([(r[1], r[2]) for r in sheets["宣讲员场次排行"][3]],
                             [(l["name"], l["sessions"]) for l in figures["lecturers"]])
            notes = sheets["盟市"][1]
            self.assertTrue(any("2022-10-01 至 2022-12-31" in n for n in notes), notes)
            self.assertTrue(any("同比期间：2021-10-01 至 2021-12-31" in n for n in notes), notes)
        # A league's period export holds its own league only, like its dashboard.
        baotou = tables_of_xlsx(export(BAOTOU, "statistics", **query).body)["盟市"][3]
        self.assertTrue(all(r[0] == "包头市" or r[1] == 0 for r in baotou), baotou)
        csv_tables = tables_of_csv(export(ADMIN, "statistics", format="csv", **query).body)
        self.assertEqual(len(csv_tables), 9)
        # An organisation out of scope counts nothing, as the list of sessions would show.
        nothing = tables_of_xlsx(export(BAOTOU, "statistics", organisation_id=999999,
                                        **query).body)["盟市"][3]
        self.assertEqual(sum(r[1] + r[3] for r in nothing), 0)


class ExportCoverageAndRanking(unittest.TestCase):
    def test_the_coverage_matrices_and_gaps_are_those_of_the_api(self):
        for client in (ADMIN, BAOTOU):
            for query in ({"campaign_ids": str(CAMPAIGN)},
                          {"from": "2022-11-01", "to": "2023-01-31", "grain": "month",
                           "level": "county"}):
                api = client.get(f"{V1}/statistics/coverage?" +
                                 urllib.parse.urlencode(query)).json()
                sheets = tables_of_xlsx(export(client, "coverage", **query).body)
                self.assertEqual(list(sheets), ["覆盖情况（场次）", "覆盖情况（受众人次）",
                                                "受众群体覆盖（场次）", "受众群体覆盖（受众人次）",
                                                "覆盖缺口"])
                first = 2 if api["level"] == "county" else 1  # the county's league beside it
                for sheet, matrix, figure in (("覆盖情况（场次）", "by_period", "sessions"),
                                              ("覆盖情况（受众人次）", "by_period", "audience"),
                                              ("受众群体覆盖（场次）", "by_group", "sessions"),
                                              ("受众群体覆盖（受众人次）", "by_group", "audience")):
                    m = api[matrix]
                    _, notes, header, rows, frozen = sheets[sheet]
                    self.assertEqual(len(header), first + len(m["columns"]) + 1, sheet)
                    self.assertEqual(rows[:-1], [
                        [r["name"]] + rows[i][1:first] + [c[figure] for c in r["cells"]] +
                        [r["total"][figure]] for i, r in enumerate(m["rows"])], sheet)
                    self.assertEqual(rows[-1][first:],
                                     [h["total"][figure] for h in m["columns"]] +
                                     [m["total"][figure]], sheet)
                    self.assertTrue(any("标记说明" in n for n in notes), notes)
                if api["grain"] == "month":
                    self.assertEqual(sheets["覆盖情况（场次）"][2][first], "2022年11月")
                gaps = [(r["name"], c["mark"]) for m in ("by_period", "by_group")
                        for r in api[m]["rows"] for c in r["cells"]
                        if c["mark"] in ("empty", "behind")]
                self.assertEqual([(r[0], {"空白": "empty", "落后": "behind"}[r[first + 1]])
                                  for r in sheets["覆盖缺口"][3]], gaps)
        # A league's export holds its own league only.
        rows = tables_of_xlsx(export(BAOTOU, "coverage").body)["覆盖情况（场次）"][3]
        self.assertNotIn("呼和浩特市", [r[0] for r in rows])
        tables = tables_of_csv(export(ADMIN, "coverage", format="csv", lang="en").body)
        self.assertEqual([t[0].split(" · ")[0] for t in tables],
                         ["Coverage (sessions)", "Coverage (audience)",
                          "Audience groups (sessions)", "Audience groups (audience)", "Gaps"])

    def test_the_ranking_is_the_api_s_with_its_formula(self):
        for client in (ADMIN, BAOTOU):
            for query in ({}, {"sort": "sessions", "campaign_ids": str(CAMPAIGN)}):
                api = client.get(f"{V1}/lecturers/scorecards?" +
                                 urllib.parse.urlencode(query)).json()
                title, notes, header, rows, frozen = tables_of_xlsx(
                    export(client, "ranking", **query).body)["宣讲员排行"]
                self.assertEqual(frozen, f"A{len(notes) + 4}")  # under the header
                self.assertEqual([(r[0], r[1], r[5], r[6]) for r in rows],
                                 [(i["rank"], i["name"], i["sessions"], i["audience"])
                                  for i in api["items"]])
                self.assertEqual(column(header, rows, "综合得分"),
                                 [round(i["score"], 2) for i in api["items"]])
                self.assertEqual(column(header, rows, "扫码签到后评价（条）"),
                                 [i["ratings"]["verified"]["count"] for i in api["items"]])
                self.assertIn("综合得分：" + api["formula"], notes)
        mine = {r[1] for r in tables_of_xlsx(export(BAOTOU, "ranking").body)["宣讲员排行"][3]}
        everyone = {r[1] for r in tables_of_xlsx(export(ADMIN, "ranking").body)["宣讲员排行"][3]}
        self.assertLess(len(mine), len(everyone))

    def test_bad_grain_sort_or_campaign_says_why(self):
        for path, field, words in (("/exports/coverage?grain=year", "grain", "week"),
                                   ("/exports/ranking?sort=height", "sort", "score"),
                                   ("/exports/coverage?campaign_ids=999999", None, "不存在"),
                                   ("/exports/ranking?from=2023-02-01&to=2023-01-01", None, "")):
            r = ADMIN.get(V1 + path)
            self.assertIn(r.status, (400, 404, 422), (path, r))
            error = r.json()["error"]
            self.assertIn(words, error["message"])
            if field:
                self.assertEqual(error.get("field"), field)

    def test_the_command_writes_what_the_api_answers(self):
        for kind, args in (("coverage", ["--campaign-ids", str(CAMPAIGN), "--level", "county"]),
                           ("ranking", ["--sort", "audience"])):
            out = os.path.join(SERVER.dir, kind + ".csv")
            r = SERVER.cli("export", kind, "--format", "csv", "-o", out, "--as", "baotou", *args)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, "rb") as f:
                mine = tables_of_csv(f.read())
            query = dict(zip([a.lstrip("-").replace("-", "_") for a in args[::2]], args[1::2]))
            api = tables_of_csv(export(BAOTOU, kind, format="csv", **query).body)
            self.assertEqual([(t[0], t[2], t[3]) for t in mine], [(t[0], t[2], t[3]) for t in api])


class ExportRefusals(unittest.TestCase):
    def check(self, client, path, status, field, words):
        r = client.get(V1 + path)
        self.assertEqual(r.status, status, r)
        error = r.json()["error"]
        self.assertIn(words, error["message"])
        if field:
            self.assertEqual(error.get("field"), field)

    def test_a_bad_kind_format_or_filter_says_why(self):
        self.check(ADMIN, "/exports/people", 404, None, "sessions")
        self.check(ADMIN, "/exports/sessions?format=xls", 400, "format", "xlsx")
        self.check(ADMIN, "/exports/sessions?lang=fr", 400, "lang", "zh")
        self.check(ADMIN, "/exports/sessions?date_from=2022-02-30", 400, "date_from", "日期")
        self.check(ADMIN, "/exports/sessions?session_format=boat", 400, "session_format", "取值")
        self.check(ADMIN, "/exports/orders?state=lost", 400, "state", "lost")
        self.check(ADMIN, "/exports/feedback", 400, "session_id", "session_id")
        self.check(ADMIN, "/exports/statistics", 400, "campaign_id", "campaign_id")
        self.check(ADMIN, "/exports/statistics?campaign_id=999999", 404, None, "不存在")
        self.check(ADMIN, "/exports/statistics?campaign_ids=1,x", 400, "campaign_ids", "逗号")
        self.check(ADMIN, "/exports/statistics?from=2022-13-01", 400, "from", "日期")
        self.check(SERVER.login("requester"), "/exports/lecturers", 403, None, "权限")
        en = SERVER.login("admin", lang="en")
        self.check(en, "/exports/sessions?format=pdf", 400, "format", "xlsx or csv")
        self.assertEqual(SERVER.client().get(V1 + "/exports/sessions").status, 401)


class ExportCommandLine(unittest.TestCase):
    def test_the_command_writes_what_the_api_answers(self):
        out = os.path.join(SERVER.dir, "ledger.csv")
        r = SERVER.cli("export", "sessions", "--format", "csv", "-o", out, "--as", "baotou",
                       "--campaign-id", str(CAMPAIGN))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            mine = tables_of_csv(f.read())[0]
        api = tables_of_csv(export(BAOTOU, "sessions", format="csv", campaign_id=CAMPAIGN).body)[0]
        self.assertEqual((mine[0], mine[2], mine[3]), (api[0], api[2], api[3]))
        # By default the whole tree, as an admin sees it.
        r = SERVER.cli("export", "lecturers", "-o", os.path.join(SERVER.dir, "all.xlsx"))
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(SERVER.dir, "all.xlsx"), "rb") as f:
            rows = tables_of_xlsx(f.read())["宣讲员"][3]
        self.assertEqual(len(rows), len(every(ADMIN, V1 + "/lecturers")))

    def test_refusals_exit_with_a_reason_and_leave_no_file(self):
        out = os.path.join(SERVER.dir, "none.xlsx")
        for args, words in ((["export", "people", "-o", out], "unknown kind"),
                            (["export", "sessions", "--format", "pdf", "-o", out], "xlsx or csv"),
                            (["export", "sessions", "--as", "nobody", "-o", out], "no account"),
                            (["export", "statistics", "-o", out], "campaign_id")):
            r = SERVER.cli(*args)
            self.assertEqual(r.returncode, 1, (args, r.stderr))
            self.assertIn(words, r.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(out + ".partial"))


if __name__ == "__main__":
    unittest.main()
