"""Makes the demo once per test run, for every API test class to copy (CTest fixture api_demo_*).

`xuanjiang init --demo` takes seconds (more on PostgreSQL, more again under the sanitizers), and
every test class starts at least one server on the demo: made once and copied, the run spends
that time once per engine instead of about eighty times. The copy is the database the binary
under test made in this run, never a file kept in the repository.

    python3 template.py DIR

Environment as the tests' (harness.py): XJ_BIN, XJ_API_ENGINE, XJ_TEST_POSTGRES_URL_FILE. DIR
gets the credentials, the secrets, the photos and, written last, the file `db` naming the
database (an SQLite file in DIR, or a database of the cluster): harness.py copies from DIR only
when `db` is there.
"""
import os
import shutil
import subprocess
import sys

# The cluster's template database: PostgreSQL copies it with CREATE DATABASE … TEMPLATE.
POSTGRES_TEMPLATE = "xj_demo_template"


def main(folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    binary = os.environ.get("XJ_BIN", "build/dev/src/cli/xuanjiang")
    if os.environ.get("XJ_API_ENGINE") == "postgresql":
        with open(os.environ["XJ_TEST_POSTGRES_URL_FILE"], encoding="utf-8") as f:
            admin = f.read().strip()
        subprocess.run(["psql", "-X", "-q", admin, "-c",
                        f"DROP DATABASE IF EXISTS {POSTGRES_TEMPLATE}",
                        "-c", f"CREATE DATABASE {POSTGRES_TEMPLATE}"], check=True)
        db = admin[:admin.rfind("/") + 1] + POSTGRES_TEMPLATE
    else:
        db = os.path.join(folder, "xj.db")
    subprocess.run([binary, "init", "--db", db, "--demo",
                    "--credentials-out", os.path.join(folder, "creds.json"),
                    "--photos", os.path.join(folder, "photos"),
                    "--secrets", os.path.join(folder, "xuanjiang.secrets")],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(folder, "db.tmp"), "w", encoding="utf-8") as f:
        f.write(db)
    os.rename(os.path.join(folder, "db.tmp"), os.path.join(folder, "db"))


if __name__ == "__main__":
    main(sys.argv[1])
