"""Proves that the API test classes CMake registered are exactly the ones that exist.

    XJ_API_REGISTERED=a_test.One,b_test.Two python3 discover_check.py
        (the `module.Class` list CMake made with discover.py; CTest sets it)

1. discover.py on a sample module finds a class placed after the `__main__` guard (and one
   derived from a local base), leaves out classes without tests, and refuses a class inside the
   guard; the class after the guard really runs under `python -m unittest`.
2. Every TestCase class with tests that unittest's own loader finds in tests/api/*_test.py is
   registered, and nothing else is. Importing a module starts no server (that happens in
   setUpModule), so this is cheap.
"""
import glob
import importlib
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import discover  # noqa: E402

SAMPLE = '''import unittest


class Before(unittest.TestCase):
    def test_before(self):
        pass


class NotATest:
    def test_looks_like_one(self):
        pass


class Base(unittest.TestCase):
    def helper(self):
        pass


class Derived(Base):
    def test_derived(self):
        pass


if __name__ == "__main__":
    unittest.main()


class AfterTheGuard(unittest.TestCase):
    def test_after_the_guard(self):
        pass
'''

INSIDE = '''import unittest

if __name__ == "__main__":
    class Hidden(unittest.TestCase):
        def test_hidden(self):
            pass
    unittest.main()
'''


class Discovery(unittest.TestCase):
    def test_finds_a_class_after_the_main_guard(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sample_test.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(SAMPLE)
            classes, errors = discover.test_classes(path)
            self.assertEqual(classes, ["sample_test.Before", "sample_test.Derived",
                                       "sample_test.AfterTheGuard"])
            self.assertEqual(errors, [])
            run = subprocess.run([sys.executable, "-m", "unittest", "-v",
                                  "sample_test.AfterTheGuard"],
                                 cwd=d, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("test_after_the_guard", run.stderr)
            self.assertIn("Ran 1 test", run.stderr)

    def test_refuses_a_class_inside_the_main_guard(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "inside_test.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(INSIDE)
            run = subprocess.run([sys.executable, os.path.join(HERE, "discover.py"), path],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 1)
            self.assertIn("class Hidden is inside the `__main__` guard", run.stderr)

    def test_registered_classes_are_those_unittest_finds(self):
        registered = set(filter(None, os.environ["XJ_API_REGISTERED"].split(",")))
        found = set()
        loader = unittest.TestLoader()
        for path in glob.glob(os.path.join(HERE, "*_test.py")):
            name = os.path.splitext(os.path.basename(path))[0]
            module = importlib.import_module(name)
            for suite in loader.loadTestsFromModule(module):
                for case in suite:
                    if type(case).__module__ == name:
                        found.add(f"{name}.{type(case).__name__}")
        self.assertGreater(len(found), 0)
        self.assertEqual(registered, found)


if __name__ == "__main__":
    unittest.main()
