"""The command line: exit codes (0 ok, 1 runtime error, 2 usage error), --help on every
command, accounts and passwords from scripts, online backup. Runs on the engine under test."""
import os
import sqlite3
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Server  # noqa: E402

COMMANDS = [[], ["init"], ["serve"], ["user"], ["user", "add"], ["user", "passwd"],
            ["user", "list"], ["token"], ["token", "create"], ["token", "list"],
            ["token", "revoke"], ["backup"], ["migrate-data"], ["tallies"],
            ["tallies", "verify"]]

# A stand-in for pg_dump that records how it was called and what it could read, then writes an
# empty dump: whether the database password reached its command line (which `ps` shows to every
# user of the machine) is then a matter of reading the record.
FAKE_PG_DUMP = """#!/usr/bin/env python3
import json, os, stat, sys
record = {"argv": sys.argv, "env": dict(os.environ)}
passfile = os.environ.get("PGPASSFILE")
if passfile:
    record["passfile_mode"] = stat.S_IMODE(os.stat(passfile).st_mode)
    with open(passfile, encoding="utf-8") as f:
        record["passfile"] = f.read()
with open(os.environ["FAKE_PG_DUMP_RECORD"], "w", encoding="utf-8") as f:
    json.dump(record, f)
out = sys.argv[sys.argv.index("--file") + 1]
with open(out, "wb") as f:
    f.write(b"PGDMP")
"""


class CommandLine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(demo=True)
        cls.bin = cls.server.bin

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_cli(self, *args, stdin=None):
        return subprocess.run([self.bin, *args], input=stdin, capture_output=True, text=True)

    def test_version_and_help_everywhere(self):
        r = self.run_cli("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"xuanjiang \d+\.\d+\.\d+")
        for cmd in COMMANDS:
            r = self.run_cli(*cmd, "--help")
            self.assertEqual(r.returncode, 0, cmd)
            self.assertIn("Usage", r.stdout, cmd)

    def test_usage_errors_exit_2_and_runtime_errors_exit_1(self):
        self.assertEqual(self.run_cli("no-such-command").returncode, 2)
        self.assertEqual(self.run_cli("serve", "--port", "not-a-number").returncode, 2)
        self.assertEqual(self.run_cli("user", "add").returncode, 2)  # missing arguments
        r = self.server.cli("user", "passwd", "nobody", "--password-stdin",
                            stdin="A-long-password-1\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such user", r.stderr)
        r = self.server.cli("init")  # already initialised
        self.assertEqual(r.returncode, 1)

    def test_a_bad_password_cost_stops_every_command_before_it_runs(self):
        for bad in ("8", "64MiB", "abc", "2048"):
            r = subprocess.run([self.bin, "user", "passwd", "admin", "--password-stdin",
                                "--db", self.server.db], input="Another-password-1\n",
                               capture_output=True, text=True,
                               env={**os.environ, "XJ_PASSWORD_MEMORY_MIB": bad})
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn("XJ_PASSWORD_MEMORY_MIB must be a whole number of MiB from 12 to 1024",
                          r.stderr, bad)
        self.assertEqual(self.server.client().post("/api/v1/auth/login", {
            "username": "admin", "password": self.server.passwords["admin"]}).status, 200)

    def test_accounts_from_scripts(self):
        r = self.server.cli("user", "add", "script_user", "--organisation", "1", "--role",
                            "viewer", "--display-name", "脚本用户", "--password-stdin",
                            stdin="Script-pass-2022\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = self.server.client()
        ok = c.post("/api/v1/auth/login", {"username": "script_user",
                                           "password": "Script-pass-2022"})
        self.assertEqual(ok.status, 200)
        r = self.server.cli("user", "passwd", "script_user", "--password-stdin",
                            stdin="Another-pass-2023\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The old session is signed out and the old password no longer works.
        self.assertEqual(c.get("/api/v1/auth/me").status, 401)
        bad = self.server.client().post("/api/v1/auth/login", {"username": "script_user",
                                                               "password": "Script-pass-2022"})
        self.assertEqual(bad.status, 401)
        listing = self.server.cli("user", "list")
        self.assertIn("script_user", listing.stdout)
        weak = self.server.cli("user", "add", "weak_user", "--organisation", "1",
                               "--password-stdin", stdin="short\n")
        self.assertEqual(weak.returncode, 1)
        self.assertIn("password", weak.stderr)

    def test_pg_dump_never_sees_the_password_on_its_command_line(self):
        import json
        import stat
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "pg_dump")
            with open(fake, "w", encoding="utf-8") as f:
                f.write(FAKE_PG_DUMP)
            os.chmod(fake, stat.S_IRWXU)
            record = os.path.join(d, "record.json")
            env = dict(os.environ, PATH=d + os.pathsep + os.environ["PATH"],
                       FAKE_PG_DUMP_RECORD=record)
            env.pop("PGPASSWORD", None)
            password = "S3cret:pass@word%"
            url = ("postgresql://xj_user:" + "S3cret%3Apass%40word%25" +
                   "@db.example:6543/xj_db?sslmode=disable")
            r = subprocess.run([self.bin, "backup", "--db", url, "--out",
                                os.path.join(d, "dump")], env=env, capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(record, encoding="utf-8") as f:
                seen = json.load(f)
        argv = " ".join(seen["argv"])
        for secret in (password, "S3cret", "S3cret%3Apass%40word%25"):
            self.assertNotIn(secret, argv)
        self.assertNotIn("PGPASSWORD", seen["env"])
        # The rest of the URL still reaches pg_dump, and the password through a private file.
        for part in ("db.example", "6543", "xj_db", "xj_user", "disable"):
            self.assertIn(part, argv)
        self.assertEqual(seen["passfile_mode"], 0o600)
        self.assertEqual(seen["passfile"].strip(), "*:*:*:*:S3cret\\:pass@word%")
        self.assertFalse(os.path.exists(seen["env"]["PGPASSFILE"]))  # removed afterwards

    def test_backup_is_a_consistent_copy_while_serving(self):
        out = os.path.join(self.server.dir, "copy.db")
        if os.environ.get("XJ_API_ENGINE") == "postgresql":
            r = self.server.cli("backup", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, "rb") as f:
                self.assertEqual(f.read(5), b"PGDMP")  # pg_dump's custom format
            # The dump restores, with pg_restore, into the same rows.
            restored = self.server.fresh_database("restored")
            r = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname",
                                restored, out], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            source = postgres_tables(self.server.db)
            self.assertGreaterEqual(source["sessions"][0], 400)
            self.assertEqual(postgres_tables(restored), source)
            self.assertGreaterEqual(len(source), 25)
            self.assertEqual(self.server.cli("backup", "--out", out).returncode, 1)
            return
        r = self.server.cli("backup", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(out) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        source = sqlite_tables(self.server.db)
        self.assertGreaterEqual(source["sessions"][0], 400)
        self.assertEqual(sqlite_tables(out), source)
        again = self.server.cli("backup", "--out", out)
        self.assertEqual(again.returncode, 1)  # never overwrites

    def test_tallies_verify_finds_a_damaged_sum_and_repairs_it(self):
        def execute(statement):
            if os.environ.get("XJ_API_ENGINE") == "postgresql":
                subprocess.run(["psql", "-X", "-q", self.server.db, "-c", statement], check=True,
                               capture_output=True)
            else:
                with sqlite3.connect(self.server.db) as db:
                    db.execute(statement)
        good = self.server.cli("tallies", "verify")
        self.assertEqual(good.returncode, 0, good.stderr)
        self.assertIn("equal the recount", good.stdout)
        self.assertIn("session_tallies: ", good.stdout)
        execute("UPDATE session_tallies SET sessions = sessions + 3 WHERE day = "
                "(SELECT MIN(day) FROM session_tallies)")
        bad = self.server.cli("tallies", "verify")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("--repair", bad.stderr)
        self.assertRegex(bad.stdout, r"session_tallies: \d+ kept rows, \d+ recounted; [1-9]\d* wrong")
        self.assertIn("kept: campaign_id=", bad.stdout)
        # Not repaired without --repair: the same damage is found again.
        self.assertEqual(self.server.cli("tallies", "verify").returncode, 1)
        fixed = self.server.cli("tallies", "verify", "--repair")
        self.assertEqual(fixed.returncode, 0, fixed.stderr)
        self.assertIn("Repaired", fixed.stdout)
        self.assertEqual(self.server.cli("tallies", "verify").returncode, 0)

    def test_the_demo_loaded_in_bulk_equals_the_demo_written_one_by_one(self):
        def rows(db, select):
            if os.environ.get("XJ_API_ENGINE") == "postgresql":
                out = subprocess.run(["psql", "-X", "-q", "-At", db, "-c", select],
                                     capture_output=True, text=True, check=True).stdout
                return sorted(out.splitlines())
            with sqlite3.connect(db) as conn:
                return sorted("|".join("" if v is None else str(v) for v in r)
                              for r in conn.execute(select))
        dbs = {}
        for loading in ("one-by-one", "bulk"):
            db = self.server.fresh_database(loading.replace("-", "_"))
            r = self.run_cli("init", "--db", db, "--demo", "--demo-sessions", "300",
                             "--demo-loading", loading, "--progress",
                             "--secrets", os.path.join(self.server.dir, loading + ".secrets"),
                             "--photos", os.path.join(self.server.dir, loading + "-photos"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stderr, r"sessions 300 of 300")  # --progress without a terminal
            verify = self.run_cli("tallies", "verify", "--db", db)
            self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
            dbs[loading] = db
        for select in (
                "SELECT id, campaign_id, title, date, start_time, end_time, venue, "
                "host_organisation_id, host_path, region_code, industry, format, audience_group, "
                "audience_offline, online_viewers, summary, source, order_id FROM sessions",
                "SELECT * FROM session_lecturers", "SELECT * FROM session_branches",
                "SELECT * FROM session_counts", "SELECT * FROM session_tallies",
                "SELECT * FROM lecturer_tallies", "SELECT * FROM category_tallies",
                "SELECT id, session_id, rating, comment, audience_group, channel, quote "
                "FROM feedback",
                "SELECT id, session_id FROM attendance", "SELECT session_id FROM feedback_links"):
            expected = rows(dbs["one-by-one"], select)
            self.assertTrue(expected, select)
            self.assertEqual(rows(dbs["bulk"], select), expected, select)
        bad = self.run_cli("init", "--db", self.server.fresh_database("bad"), "--demo",
                           "--demo-loading", "sideways")
        self.assertEqual(bad.returncode, 2)


def sqlite_tables(path):
    """{table: (rows, digest of the rows)} of an SQLite database."""
    with sqlite3.connect(path) as db:
        # A virtual table's rows are in its shadow tables (the text index's cannot be scanned).
        names = [n for (n,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
        out = {}
        for name in names:
            rows = sorted(repr(r) for r in db.execute(f'SELECT * FROM "{name}"'))
            out[name] = (len(rows), hash(tuple(rows)))
        return out


def postgres_tables(url):
    """{table: (rows, md5 of the rows)} of a PostgreSQL database (its public schema)."""
    def psql(sql):
        r = subprocess.run(["psql", "-X", "-q", "-At", url, "-c", sql], capture_output=True,
                           text=True, check=True)
        return r.stdout.strip()
    out = {}
    for name in psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split():
        count, digest = psql(f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY "
                             f"t::text), '')) FROM \"{name}\" t").split("|")
        out[name] = (int(count), digest)
    return out


if __name__ == "__main__":
    unittest.main()
