"""The page cache (http/response_cache.hpp): the session, lecturer and organisation lists are
answered from a kept copy while the data has not changed. What must hold: a write shows on the
next read, whether it went through this process, another server process on the same database
or the command line; each account gets its own scope's page; a page is never served to another
account, language or query.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest tests/api/page_cache_test.py
"""
import csv
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"
LIST = V1 + "/sessions?page_size=5"


def setUpModule():
    global SERVER
    SERVER = Server(demo=True)


def tearDownModule():
    SERVER.stop()


class PageCache(unittest.TestCase):
    def first_session(self, client):
        r = client.get(LIST)
        self.assertEqual(r.status, 200, r)
        return r.json()["items"][0]

    def rename(self, client, session, title):
        r = client.patch(f"{V1}/sessions/{session['id']}",
                         {"title": title, "version": session["version"]})
        self.assertEqual(r.status, 200, r)

    def test_a_write_shows_on_the_next_read(self):
        admin = SERVER.login("admin")
        first = self.first_session(admin)
        self.assertEqual(admin.get(LIST).body, admin.get(LIST).body)  # kept, and the same
        self.rename(admin, first, "缓存之后改的标题")
        self.assertEqual(self.first_session(admin)["title"], "缓存之后改的标题")

    def test_a_write_through_another_process_shows_on_the_next_read(self):
        other = SERVER.another_process()
        try:
            here = SERVER.login("admin")
            there = other.login("admin")
            first = self.first_session(here)
            self.first_session(here)  # now kept by this process
            self.rename(there, first, "另一个进程改的标题")
            self.assertEqual(self.first_session(here)["title"], "另一个进程改的标题")
            # And the other way round, for a lecturer list kept by the other process.
            lecturers = there.get(V1 + "/lecturers?page_size=3").json()["items"]
            there.get(V1 + "/lecturers?page_size=3")
            lecturer = lecturers[0]
            r = here.patch(f"{V1}/lecturers/{lecturer['id']}",
                           {"bio": "另一个进程写的简介"})
            self.assertEqual(r.status, 200, r)
            again = there.get(V1 + "/lecturers?page_size=3").json()["items"]
            self.assertEqual([x for x in again if x["id"] == lecturer["id"]][0]["bio"],
                             "另一个进程写的简介")
        finally:
            other.proc.terminate()
            other.proc.wait(timeout=10)

    def test_a_write_from_the_command_line_shows_on_the_next_read(self):
        admin = SERVER.login("admin")
        lecturers = V1 + "/lecturers?page_size=200"
        before = admin.get(lecturers).json()
        admin.get(lecturers)  # kept
        path = os.path.join(SERVER.dir, "cache.csv")
        header = ["姓名", "所属组织", "性别", "民族", "宣讲员类别", "荣誉", "工作单位", "所在地区",
                  "宣讲主题", "宣讲语言", "手机号码", "简介"]
        row = ["缓存检查宣讲员", "包头市总工会", "女", "汉族", "劳动模范", "", "包钢集团", "包头市",
               "工匠精神", "汉语", "13800138000", ""]
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows([header, row])
        r = SERVER.cli("import", "lecturers", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        after = admin.get(lecturers).json()
        self.assertEqual(after["total"], before["total"] + 1)
        self.assertIn("缓存检查宣讲员", [x["name"] for x in after["items"]])

    def test_each_account_gets_its_own_scope(self):
        admin = SERVER.login("admin")
        baotou = SERVER.login("baotou")
        lecturer = SERVER.login("lecturer")
        wide = admin.get(LIST).json()
        for client in (baotou, lecturer):
            for _ in range(2):  # the second answer is the kept copy
                page = client.get(LIST).json()
                self.assertLess(page["total"], wide["total"])
        self.assertEqual(admin.get(LIST).json()["total"], wide["total"])
        # The same target in English and with another query string are other pages.
        english = SERVER.login("admin", lang="en")
        self.assertEqual(english.get(LIST).json()["total"], wide["total"])
        narrow = admin.get(V1 + "/sessions?page_size=2").json()
        self.assertEqual(len(narrow["items"]), 2)

    def test_a_refused_caller_is_refused_before_any_kept_page(self):
        admin = SERVER.login("admin")
        admin.get(LIST)
        anonymous = SERVER.client()
        self.assertEqual(anonymous.get(LIST).status, 401)
        merchant = SERVER.login("merchant")
        self.assertEqual(merchant.get(LIST).status, 403)


if __name__ == "__main__":
    unittest.main()
