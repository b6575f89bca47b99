"""Issue 18: 报道导入. A report's text or file in, proposed sessions out (nothing saved); the
reviewed proposals saved as sessions in one transaction, duplicates skipped, scope kept; bad
files refused with a 4xx that writes nothing. One server for the module. Run:
XJ_BIN=build/dev/src/cli/xuanjiang /usr/bin/python3 -m unittest tests/api/report_import_test.py
"""
import hashlib
import io
import json
import os
import sys
import unittest
import urllib.parse
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

V1 = "/api/v1"
CORPUS = os.path.join(os.path.dirname(__file__), "..", "data", "reports")


def setUpModule():
    global SERVER, ADMIN
    SERVER = Server(demo=True)
    ADMIN = SERVER.login("admin")


def tearDownModule():
    SERVER.stop()


def corpus(name, mode="r"):
    with open(os.path.join(CORPUS, name), mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()


def total(path):
    return ADMIN.get(f"{V1}{path}{'&' if '?' in path else '?'}page_size=1").json()["total"]


def propose(client, text, year=2023):
    return client.post(f"{V1}/imports/reports", {"text": text, "year": year})


def upload(client, data, year=2023):
    return client.post(f"{V1}/imports/reports?year={year}", raw=data,
                       headers={"Content-Type": "application/octet-stream"})


def reviewed(proposals):
    """What a reviewer does before saving: a title and an audience group where the text had none,
    offline where it said 主会场+分会场 (branch venues are added to the session afterwards)."""
    out = []
    for p in proposals:
        p = dict(p)
        p["title"] = p["title"] or f"{p['lecturer_name']}宣讲"
        if not p["audience_group_code"]:
            p["audience_group_code"] = "frontline_workers"
        if p["format"] == "hybrid":
            p["format"] = "offline"
        out.append(p)
    return out


def encrypted_pdf():
    """A one-page PDF protected by a user password (RC4, 40 bits: PDF 1.3's standard handler),
    written here because no Debian tool on the test machine encrypts PDFs."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

    def rc4(key, data):
        s = list(range(256))
        j = 0
        for i in range(256):
            j = (j + s[i] + key[i % len(key)]) % 256
            s[i], s[j] = s[j], s[i]
        i = j = 0
        out = bytearray()
        for b in data:
            i = (i + 1) % 256
            j = (j + s[i]) % 256
            s[i], s[j] = s[j], s[i]
            out.append(b ^ s[(s[i] + s[j]) % 256])
        return bytes(out)

    def padded(pw):
        return (pw + pad)[:32]

    file_id = hashlib.md5(b"xuanjiang").digest()
    owner = rc4(hashlib.md5(padded(b"owner")).digest()[:5], padded(b"secret"))
    p = -44
    key = hashlib.md5(padded(b"secret") + owner + p.to_bytes(4, "little", signed=True) +
                      file_id).digest()[:5]
    user = rc4(key, pad)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <" +
        user.hex().encode() + b"> /P " + str(p).encode() + b" >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for o in offsets:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n" %
              (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode()))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def docx(paragraphs):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                   'openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body +
                   "</w:body></w:document>")
    return out.getvalue()


class ReportProposals(unittest.TestCase):
    """The proposals of a corpus report, as text, as a PDF, as a .docx and in GBK; nothing saved."""

    def test_a_pasted_report_gives_one_proposal_per_venue_and_saves_nothing(self):
        before = (total("/sessions"), total("/lecturers"))
        r = propose(ADMIN, corpus("01_tongliao_logistics.txt"))
        self.assertEqual(r.status, 200, r.body)
        body = r.json()
        got = [(p["date"], p["lecturer_name"], p["venue"], p["region_code"])
               for p in body["proposals"]]
        self.assertEqual(got, [("2023-04-09", "李海峰", "通辽市物流园区", "150500"),
                               ("2023-04-09", "李海峰", "科尔沁区顺达医药有限公司", "150502"),
                               ("2023-04-10", "李海峰", "开鲁县东风镇农牧民培训中心", "150523")])
        third = body["proposals"][2]
        self.assertEqual(third["title"], "奋进新征程 建功新时代")
        self.assertEqual((third["audience_count"], third["audience_qualifier"]), (50, "at_least"))
        self.assertEqual((third["audience_group"], third["audience_group_code"]),
                         ("农牧民", "farmers_herders"))
        for p in body["proposals"]:
            # The offsets are code points into the normalised text: the page highlights them.
            self.assertEqual(body["text"][p["sentence_begin"]:p["sentence_end"]], p["sentence"])
            self.assertIn(p["venue"], p["sentence"])
            self.assertTrue(0 < p["confidence"] <= 1)
            self.assertIsNone(p["duplicate_of"])
        kinds = sorted(s["kind"] for s in body["statements"])
        self.assertEqual(kinds, ["quote", "running_total"])
        self.assertEqual((total("/sessions"), total("/lecturers")), before)

    def test_a_pdf_a_docx_and_gbk_text_are_read_as_the_text_is(self):
        r = upload(ADMIN, corpus("13_chifeng_couriers_print.pdf", "rb"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual([p["venue"] for p in r.json()["proposals"]],
                         ["红山区顺丰速运城西快递驿站", "松山区美团外卖骑手服务站"])
        paragraphs = [line for line in corpus("07_xilingol_weekly.txt").splitlines() if line]
        r = upload(ADMIN, docx(paragraphs))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(len(r.json()["proposals"]), 3)
        r = upload(ADMIN, corpus("06_hulunbuir_mongolian.txt").encode("gb18030"))
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual([p["lecturer_name"] for p in r.json()["proposals"]],
                         ["乌云其木格", "乌云其木格", "巴特尔"])


class ReportAccept(unittest.TestCase):
    """Reviewed proposals become sessions once; the same proposals again create nothing."""

    def test_accepted_proposals_become_imported_sessions_once(self):
        text = corpus("02_baotou_steel_brief.txt")
        preview = propose(ADMIN, text).json()
        proposals = reviewed(preview["proposals"])
        sessions, lecturers = total("/sessions"), total("/lecturers")
        r = ADMIN.post(f"{V1}/imports/reports/accept",
                       {"text": preview["text"], "year": 2023, "file_name": "包头简报.txt",
                        "proposals": proposals})
        self.assertEqual(r.status, 201, r.body)
        body = r.json()
        self.assertEqual(body["created"], 2)
        self.assertEqual(body["duplicates"], [])
        self.assertEqual([l["name"] for l in body["new_lecturers"]], ["张福来"])
        self.assertEqual(body["new_lecturers"][0]["employer"], "包钢集团")
        self.assertEqual(total("/sessions"), sessions + 2)
        self.assertEqual(total("/lecturers"), lecturers + 1)
        listed = ADMIN.get(f"{V1}/sessions?q={urllib.parse.quote('高炉车间')}").json()["items"]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["source"], "imported")
        self.assertEqual(listed[0]["date"], "2023-05-16")
        self.assertEqual(listed[0]["audience_offline"], 120)

        # Read again, the report's sessions are flagged; accepted again, nothing is created.
        again = propose(ADMIN, text).json()["proposals"]
        self.assertTrue(all(p["duplicate_of"] for p in again), again)
        r = ADMIN.post(f"{V1}/imports/reports/accept",
                       {"text": preview["text"], "year": 2023, "proposals": reviewed(again)})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["created"], 0)
        self.assertEqual(len(r.json()["duplicates"]), 2)
        self.assertEqual(total("/sessions"), sessions + 2)
        self.assertEqual(total("/lecturers"), lecturers + 1)

    def test_a_host_outside_the_importers_subtree_is_refused_and_nothing_is_written(self):
        organiser = SERVER.login("baotou")  # the organiser of 包头市总工会's subtree
        mine = {o["id"] for o in organiser.get(f"{V1}/organisations?page_size=100").json()["items"]}
        outside = [o for o in ADMIN.get(f"{V1}/organisations?page_size=100").json()["items"]
                   if o["id"] not in mine]
        self.assertTrue(outside and mine)
        preview = propose(organiser, corpus("11_alxa_desert.txt"))
        self.assertEqual(preview.status, 200, preview.body)
        proposals = reviewed(preview.json()["proposals"])
        proposals[0]["host_organisation_id"] = outside[0]["id"]
        before = (total("/sessions"), total("/lecturers"), total("/audit"))
        r = organiser.post(f"{V1}/imports/reports/accept",
                           {"text": preview.json()["text"], "year": 2023, "proposals": proposals})
        self.assertIn(r.status, (403, 422), r.body)
        self.assertEqual((total("/sessions"), total("/lecturers"), total("/audit")), before)

    def test_the_stored_text_is_read_back_within_the_subtree(self):
        baotou = SERVER.login("baotou")
        preview = propose(baotou, corpus("11_alxa_desert.txt")).json()
        r = baotou.post(f"{V1}/imports/reports/accept",
                        {"text": preview["text"], "year": 2023, "file_name": "阿拉善.txt",
                         "proposals": reviewed(preview["proposals"])})
        self.assertEqual(r.status, 201, r.body)
        source_id = r.json()["report_source_id"]
        created = [s["id"] for s in r.json()["sessions"]]
        self.assertTrue(created)

        # Listed newest first for the importer and for the province above it, without the text.
        for client in (baotou, ADMIN):
            listed = client.get(f"{V1}/imports/reports?page_size=5").json()
            self.assertEqual(listed["items"][0]["id"], source_id)
            self.assertEqual(listed["items"][0]["file_name"], "阿拉善.txt")
            self.assertEqual(listed["items"][0]["sessions"], len(created))
            self.assertNotIn("text", listed["items"][0])
        detail = baotou.get(f"{V1}/imports/reports/{source_id}")
        self.assertEqual(detail.status, 200, detail.body)
        detail = detail.json()
        self.assertEqual(detail["text"], preview["text"])
        self.assertTrue(detail["created_by_name"])
        self.assertEqual(sorted(l["session_id"] for l in detail["links"]), sorted(created))

        # The session names its source and the sentence that told it.
        link = baotou.get(f"{V1}/sessions/{created[0]}/report-source")
        self.assertEqual(link.status, 200, link.body)
        link = link.json()
        self.assertEqual(link["report_source_id"], source_id)
        self.assertTrue(link["text_visible"])
        first = next(p for p in preview["proposals"] if p["venue"] == link["venue"])
        self.assertEqual(link["sentence"], first["sentence"])

        # A text the province stored is out of Baotou's sight: not listed, not found.
        mine = propose(ADMIN, "4月9日，王丽华在乌海市总工会会议室为80余名一线职工开展宣讲。").json()
        r = ADMIN.post(f"{V1}/imports/reports/accept",
                       {"text": mine["text"], "year": 2023, "proposals": reviewed(mine["proposals"])})
        self.assertEqual(r.status, 201, r.body)
        province = r.json()["report_source_id"]
        self.assertEqual(baotou.get(f"{V1}/imports/reports/{province}").status, 404)
        ids = [s["id"] for s in baotou.get(f"{V1}/imports/reports?page_size=100").json()["items"]]
        self.assertIn(source_id, ids)
        self.assertNotIn(province, ids)
        session = r.json()["sessions"][0]["id"]
        self.assertEqual(baotou.get(f"{V1}/sessions/{session}/report-source").status, 404)
        self.assertEqual(ADMIN.get(f"{V1}/sessions/{session}/report-source").status, 200)

    def test_a_hybrid_proposal_is_saved_with_its_branch_venues(self):
        preview = propose(ADMIN, "6月3日，王丽华在乌海市总工会会议室为80余名一线职工开展宣讲。").json()
        proposals = reviewed(preview["proposals"])
        self.assertEqual(len(proposals), 1, proposals)
        proposals[0]["format"] = "hybrid"
        before = total("/sessions")
        # Without a branch venue a hybrid session is refused, and nothing is written.
        r = ADMIN.post(f"{V1}/imports/reports/accept",
                       {"text": preview["text"], "year": 2023, "proposals": proposals})
        self.assertEqual(r.status, 422, r.body)
        self.assertIn("proposals[0].format", r.body.decode() if isinstance(r.body, bytes) else r.body)
        self.assertEqual(total("/sessions"), before)
        proposals[0]["branches"] = [{"venue": "乌达区职工之家", "headcount": 40},
                                    {"venue": "海南区职工服务中心"}]
        r = ADMIN.post(f"{V1}/imports/reports/accept",
                       {"text": preview["text"], "year": 2023, "proposals": proposals})
        self.assertEqual(r.status, 201, r.body)
        session = ADMIN.get(f"{V1}/sessions/{r.json()['sessions'][0]['id']}").json()
        self.assertEqual(session["format"], "hybrid")
        self.assertEqual([b["venue"] for b in session["branches"]], ["乌达区职工之家", "海南区职工服务中心"])
        self.assertEqual(session["branches"][0]["headcount"], 40)
        self.assertEqual(session["branches"][1]["host_organisation_id"], session["host_organisation_id"])
        # A branch outside the importer's subtree is refused as the session routes refuse it.
        baotou = SERVER.login("baotou")
        mine = propose(baotou, "6月5日，王丽华在包头市总工会会议室为60余名一线职工开展宣讲。").json()
        p = reviewed(mine["proposals"])
        p[0]["format"] = "hybrid"
        p[0]["branches"] = [{"venue": "乌海", "host_organisation_id": session["host_organisation_id"]}]
        r = baotou.post(f"{V1}/imports/reports/accept", {"text": mine["text"], "year": 2023, "proposals": p})
        self.assertIn(r.status, (403, 422), r.body)

    def test_a_viewer_may_not_import(self):
        viewer = SERVER.login("viewer")
        self.assertEqual(propose(viewer, corpus("01_tongliao_logistics.txt")).status, 403)


class ReportBadInput(unittest.TestCase):
    """Every bad input: a clear 4xx in the user's language, nothing written."""

    def assertRefused(self, r, status, field=None):
        self.assertEqual(r.status, status, r.body)
        error = r.json()["error"]
        self.assertTrue(error["message"])
        if field:
            self.assertEqual(error["field"], field)

    def test_bad_files_and_bodies_are_refused(self):
        en = SERVER.login("admin", lang="en")
        before = (total("/sessions"), total("/audit"))
        r = en.post(f"{V1}/imports/reports?year=2023", raw=b"",
                    headers={"Content-Type": "application/octet-stream"})
        self.assertEqual(r.json()["error"]["message"], "the file is empty")
        self.assertRefused(upload(ADMIN, b""), 400, "file")
        self.assertRefused(upload(ADMIN, bytes(range(256)) * 40), 400, "file")
        self.assertRefused(upload(ADMIN, encrypted_pdf()), 400, "file")
        self.assertIn("加密", upload(ADMIN, encrypted_pdf()).json()["error"]["message"])
        self.assertRefused(upload(ADMIN, b"%PDF-1.4\n1 0 obj<<>>\nendobj\n"), 400, "file")
        self.assertRefused(upload(ADMIN, docx(["x"])[:200]), 400, "file")
        self.assertRefused(upload(ADMIN, ("宣讲" * 1_750_000).encode()), 413)
        self.assertRefused(propose(ADMIN, "宣讲" * 1_750_000), 413)
        self.assertRefused(propose(ADMIN, "   "), 422, "text")
        self.assertRefused(propose(ADMIN, "4月9日\u0000宣讲"), 400, "text")
        self.assertRefused(propose(ADMIN, "4月9日", year=1900), 422, "year")
        self.assertRefused(ADMIN.post(f"{V1}/imports/reports", {"text": "x"}), 400, "year")
        self.assertRefused(ADMIN.post(f"{V1}/imports/reports", {"text": 1, "year": 2023}), 400)
        self.assertRefused(ADMIN.post(f"{V1}/imports/reports", {"text": "x", "year": 2023,
                                                                 "extra": 1}), 400, "extra")
        self.assertRefused(upload(ADMIN, "4月9日".encode(), year="abc"), 400)
        self.assertRefused(ADMIN.post(f"{V1}/imports/reports/accept",
                                      {"text": "x", "year": 2023, "proposals": []}), 422)
        self.assertRefused(ADMIN.post(f"{V1}/imports/reports/accept",
                                      {"text": "x", "year": 2023,
                                       "proposals": [{"date": "2023-02-30"}]}), 400)
        self.assertEqual((total("/sessions"), total("/audit")), before)


if __name__ == "__main__":
    unittest.main()
