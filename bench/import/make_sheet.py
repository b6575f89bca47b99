#!/usr/bin/python3
"""Writes N rows of past sessions (the sessions import template's columns) as CSV (UTF-8, or
GBK with --gbk) or .xlsx (openpyxl, write-only), naming the demo's organisations and lecturers
by name, so that every row resolves and validates.

  make_sheet.py DB N OUT.{csv,xlsx} [--gbk]
"""
import csv
import datetime
import sqlite3
import sys

HEADER = ["日期", "开始时间", "结束时间", "宣讲题目", "宣讲地点", "承办单位", "所在地区", "行业", "形式",
          "受众群体", "现场人数", "线上观看人数", "宣讲员", "宣讲活动", "宣讲概要"]


def main():
    db, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    con = sqlite3.connect(db)
    # Names that are unique, so that each resolves to one record.
    orgs = [r[0] for r in con.execute(
        "SELECT name FROM organisations GROUP BY name HAVING COUNT(*) = 1 ORDER BY MIN(id)")]
    lecturers = [r[0] for r in con.execute(
        "SELECT name FROM lecturers WHERE active GROUP BY name HAVING COUNT(*) = 1 ORDER BY MIN(id)")]
    groups = [r[0] for r in con.execute(
        "SELECT name FROM dictionary_entries WHERE kind = 'audience_group' AND active")]
    start = datetime.date(2021, 1, 1)
    rows = []
    for i in range(n):
        day = start + datetime.timedelta(days=i % 1500)
        rows.append([day.isoformat(), "09:30", "11:00", f"往期宣讲第{i + 1}场", f"职工之家{i // 1500 + 1}号厅",
                     orgs[i % len(orgs)], "", "制造业", "线下", groups[i % len(groups)], str(20 + i % 300),
                     "", lecturers[i % len(lecturers)], "", "从旧台账导入"])
    if out.endswith(".xlsx"):
        import openpyxl
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for r in rows:
            sheet.append([datetime.date.fromisoformat(r[0])] + r[1:10] + [int(r[10])] + r[11:])
        book.save(out)
    else:
        encoding = "gbk" if "--gbk" in sys.argv else "utf-8-sig"
        with open(out, "w", encoding=encoding, newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(HEADER)
            w.writerows(rows)


if __name__ == "__main__":
    main()
