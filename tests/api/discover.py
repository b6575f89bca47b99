"""Finds the API test classes, so that CMake registers one CTest test per class without a list.

    discover.py FILE...   prints `module.Class` for every unittest.TestCase class with tests,
                          one a line, and exits 1 (naming it) on a class that can never run

Read from the source (ast), not by importing it: the modules start servers when their tests
run, and configuring must not. A class counts wherever it stands at module level, also after
the `if __name__ == "__main__":` guard, because `python -m unittest module.Class` imports the
module under its own name and so defines it. A class *inside* the guard is never defined that
way: it is refused rather than left out silently. tests/api/discover_check.py proves all this.
"""
import ast
import os
import sys


def is_main_guard(node):
    """`if __name__ == "__main__":`"""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def base_name(node):
    """`unittest.TestCase` -> "unittest.TestCase", `Base` -> "Base"."""
    if isinstance(node, ast.Attribute):
        inner = base_name(node.value)
        return inner + "." + node.attr if inner else None
    return node.id if isinstance(node, ast.Name) else None


def test_classes(path):
    """Returns (classes, errors): the module's runnable TestCase classes with at least one test
    method (its own or a base's in the same module), and what can never run."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    module = os.path.splitext(os.path.basename(path))[0]
    errors = []
    defined = {}  # name -> ClassDef, in order, at module level
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            defined[node.name] = node
        elif is_main_guard(node):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ClassDef):
                    errors.append(f"{path}:{inner.lineno}: class {inner.name} is inside the "
                                  "`__main__` guard, so `python -m unittest` never defines it")

    def is_test_case(cls, seen=()):
        for b in map(base_name, cls.bases):
            if b in ("unittest.TestCase", "TestCase"):
                return True
            if b in defined and b not in seen and is_test_case(defined[b], seen + (b,)):
                return True
        return False

    def has_tests(cls, seen=()):
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test")
               for n in cls.body):
            return True
        return any(b in defined and b not in seen and has_tests(defined[b], seen + (b,))
                   for b in map(base_name, cls.bases))

    classes = [f"{module}.{name}" for name, cls in defined.items()
               if is_test_case(cls) and has_tests(cls)]
    return classes, errors


def main(paths):
    errors = []
    for path in sorted(paths):
        classes, errs = test_classes(path)
        errors += errs
        for c in classes:
            print(c)
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
