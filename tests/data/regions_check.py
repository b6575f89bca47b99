"""Checks the shipped data/regions.csv: GB/T 2260 shape and Inner Mongolia's official counts."""
import csv
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "data/regions.csv"
with open(path, encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
codes = {r["code"] for r in rows}
errors = []
if len(codes) != len(rows):
    errors.append("duplicate codes")
for r in rows:
    if len(r["code"]) != 6 or not r["code"].isdigit():
        errors.append("bad code " + r["code"])
    if r["parent"] and r["parent"] not in codes:
        errors.append("missing parent of " + r["code"])
    if r["kind"] not in ("division", "development_zone"):
        errors.append("bad kind " + r["code"])
provinces = [r for r in rows if r["level"] == "province"]
cities = [r for r in rows if r["parent"] == "150000"]
counties = [r for r in rows if r["level"] == "county" and r["code"].startswith("15")]
if len(provinces) != 34:
    errors.append(f"{len(provinces)} province-level records, want 34")
if len(cities) != 12:
    errors.append(f"{len(cities)} leagues/cities in Inner Mongolia, want 12")
if sum(r["kind"] == "division" for r in counties) != 103:
    errors.append("want 103 banners/counties in Inner Mongolia")
if sum(r["kind"] == "development_zone" for r in counties) != 5:
    errors.append("want 5 development zones in Inner Mongolia")
for r in cities:
    if not r["lat"] or not r["lon"]:
        errors.append("no seat coordinates for " + r["code"])
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"{path}: {len(rows)} regions, checks passed")
