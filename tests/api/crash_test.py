"""Nothing acknowledged is lost: a client streams numbered writes, the server is killed with
SIGKILL at a random moment, restarted on the same database, and every write it acknowledged is
found exactly once (a write in flight at the kill may or may not be there, but never twice).
Twenty rounds per engine. Run with XJ_BIN set, and XJ_API_ENGINE as for api_test.py.
"""
import os
import random
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import Client, Server, png_bytes  # noqa: E402

V1 = "/api/v1"
ROUNDS = int(os.environ.get("XJ_CRASH_ROUNDS", "20"))


class CrashDuringWrites(unittest.TestCase):
    def test_acknowledged_writes_survive_kill_9(self):
        server = Server(demo=False)
        rng = random.Random(20221101)
        try:
            token = server.cli("token", "create", "admin", "--name", "crash").stdout.strip()
            root = None
            acknowledged = []
            sent = 0
            for round_no in range(ROUNDS):
                client = Client(server.port)
                client.bearer = token
                if root is None:
                    root = client.get(V1 + "/organisations").json()["items"][0]["id"]
                stop = threading.Event()
                done = []

                def writer():
                    nonlocal sent
                    while not stop.is_set():
                        sent += 1
                        name = f"崩溃{sent:05d}"
                        try:
                            r = client.post(V1 + "/lecturers", {
                                "organisation_id": root, "name": name,
                                "category": "model_worker", "languages": ["zh"]})
                        except OSError:
                            return  # the server is gone: this write was never acknowledged
                        if r.status == 201:
                            done.append(name)
                        else:
                            raise AssertionError(f"write refused: {r}")

                t = threading.Thread(target=writer)
                t.start()
                time.sleep(rng.uniform(0.05, 0.6))
                server.proc.send_signal(signal.SIGKILL)
                server.proc.wait()
                stop.set()
                t.join()
                acknowledged.extend(done)
                server.restart()
            # Every acknowledged write is there exactly once; nothing is there twice.
            client = Client(server.port)
            client.bearer = token
            names = []
            page = 1
            while True:
                r = client.get(f"{V1}/lecturers?page_size=200&page={page}").json()
                names.extend(l["name"] for l in r["items"])
                if page * 200 >= r["total"]:
                    break
                page += 1
            self.assertGreater(len(acknowledged), ROUNDS)
            missing = [n for n in acknowledged if n not in set(names)]
            self.assertEqual(missing, [])
            self.assertEqual(len(names), len(set(names)), "a write was stored twice")
        finally:
            server.stop()


class SeveralProcesses(unittest.TestCase):
    def test_a_login_made_through_one_process_works_through_another(self):
        first = Server(demo=False)
        try:
            second = first.another_process()
            c = first.login("admin")
            other = Client(second.port)
            other.cookie, other.csrf = c.cookie, c.csrf
            self.assertEqual(other.get(V1 + "/auth/me").json()["username"], "admin")
            r = other.post(V1 + "/dictionaries", {"kind": "topic", "code": "shared", "name": "共享"})
            self.assertEqual(r.status, 201, r)
            # Failed-login counters are shared too: failures split over both processes lock.
            for i in range(5):
                target = first.client() if i % 2 else Client(second.port)
                target.post(V1 + "/auth/login", {"username": "admin", "password": f"wrong-{i}" * 3})
            r = Client(second.port).post(V1 + "/auth/login", {
                "username": "admin", "password": first.passwords["admin"]})
            self.assertEqual(r.status, 429)
            second.proc.terminate()
            second.proc.wait()
        finally:
            first.stop()


class MigrateData(unittest.TestCase):
    def test_a_migrated_database_serves_the_same_data_and_accepts_writes(self):
        source = Server(demo=True)
        try:
            target = source.fresh_database("copy")
            # A portrait: its columns (migration 0009) must move with the lecturer.
            organiser = source.login("organiser")
            portrait = organiser.request("PUT", V1 + "/lecturers/1/photo", raw=png_bytes(),
                                         headers={"Content-Type": "image/png"})
            self.assertEqual(portrait.status, 200, portrait)
            out = subprocess.run([source.bin, "migrate-data", "--from", source.db, "--to", target],
                                 capture_output=True, text=True)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn("Copied and verified 55 tables", out.stdout)
            self.assertNotIn("\tNO", out.stdout)
            copy = source.another_process()
            copy.proc.terminate()
            copy.proc.wait()
            copy.db = target
            copy.proc, copy.port = copy._start(0)
            before = source.login("admin").get(V1 + "/sessions?page_size=5").json()
            admin = copy.login("admin")  # the same password: hashes moved with the accounts
            after = admin.get(V1 + "/sessions?page_size=5").json()
            self.assertEqual(after, before)
            self.assertEqual(admin.get(V1 + "/lecturers/1").json()["photo_url"],
                             portrait.json()["photo_url"])
            r = admin.post(V1 + "/dictionaries", {"kind": "topic", "code": "after_move",
                                                  "name": "迁移后新增"})
            self.assertEqual(r.status, 201, r)  # ids continue above the copied ones
            # A second copy into a database that is no longer empty is refused.
            again = subprocess.run([source.bin, "migrate-data", "--from", source.db, "--to",
                                    target], capture_output=True, text=True)
            self.assertEqual(again.returncode, 1)
            self.assertIn("not empty", again.stderr)
            copy.proc.terminate()
            copy.proc.wait()
        finally:
            source.stop()


if __name__ == "__main__":
    unittest.main()
