"""The API fuzzer (tests/api/api_fuzz.py) as a test: one round over every route of
docs/openapi.yaml and every role, on a fresh demo database of the engine under test.
Run: XJ_BIN=build/dev/src/cli/xuanjiang python3 -m unittest -v fuzz_test (in tests/api).
At most 150 requests per route (XJ_FUZZ_CAP), so that it stays within about two minutes per
engine on a 2-core machine. XJ_FUZZ_SEED picks another seed; XJ_FUZZ_SUMMARY names a file
that receives the summary line.
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from api_fuzz import FAILING, SERVE_ARGS, Fuzzer  # noqa: E402
from harness import Server  # noqa: E402


class ApiFuzz(unittest.TestCase):
    def test_no_input_crashes_the_server_or_gets_a_5xx_and_refusals_change_nothing(self):
        started = time.time()
        server = Server(demo=True, serve_args=SERVE_ARGS)
        try:
            fuzzer = Fuzzer(server, seed=int(os.environ.get("XJ_FUZZ_SEED", "1")),
                            cap=int(os.environ.get("XJ_FUZZ_CAP", "150")))
            fuzzer.run()
            fuzzer.close()
        finally:
            server.stop()
        engine = os.environ.get("XJ_API_ENGINE", "sqlite")
        summary = f"{fuzzer.summary()} ({engine}, {time.time() - started:.0f} s)"
        print("\n" + summary, file=sys.stderr)
        if os.environ.get("XJ_FUZZ_SUMMARY"):
            with open(os.environ["XJ_FUZZ_SUMMARY"], "w", encoding="utf-8") as f:
                f.write(summary + "\n")
        failures = [f"{kind}: {item}" for kind in FAILING for item in fuzzer.findings[kind]]
        self.assertEqual(len(fuzzer.routes_done), len(fuzzer.routes), "every route walked")
        self.assertFalse(failures, summary + "\n" + "\n".join(failures[:60]))


if __name__ == "__main__":
    unittest.main()
