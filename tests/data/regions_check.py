#!/usr/bin/env python3
"""Checks the shipped data/regions.csv (written by tools/gen-regions.mjs).

Usage: python3 tests/data/regions_check.py [data/regions.csv]

Checks the same things as the generator does before it writes: UTF-8 without BOM, LF line ends,
the header, six-digit unique codes in order, levels and parents (province -> city -> county, every
parent present), kinds (county codes xxxx7x are development zones, everything else a division),
the counts (34 province-level records; for Inner Mongolia, 150000, 12 leagues/cities, 103
county-level divisions and the 5 known development zones) and the seat coordinates of the 12
leagues/cities. Prints every problem found and exits 1, or prints a summary and exits 0.
Python 3 standard library only.
"""
import csv
import io
import re
import sys

HEADER = ["code", "name", "parent", "level", "kind", "lat", "lon"]
IM = "150000"
IM_ZONES = ["150172", "150271", "150571", "152571", "152971"]
IM_CITIES = ["150100", "150200", "150300", "150400", "150500", "150600", "150700", "150800",
             "150900", "152200", "152500", "152900"]
# GB/T 2260 province-level codes: 31 on the mainland, then Taiwan, Hong Kong, Macao.
PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
             "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
             "63", "64", "65", "71", "81", "82"]
WANT_IM_DIVISIONS = 103
# A generous box around Inner Mongolia, to catch swapped or garbled coordinates.
LAT, LON = (37.0, 54.0), (97.0, 127.0)


def check(data: bytes) -> tuple[list[str], list[dict]]:
    errors = []
    if data.startswith(b"\xef\xbb\xbf"):
        errors.append("file starts with a BOM")
    if b"\r" in data:
        errors.append("file has CR characters; want LF line ends")
    if not data.endswith(b"\n"):
        errors.append("file does not end with a newline")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"not valid UTF-8: {e}"], []
    lines = text.lstrip("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split(",") != HEADER:
        return errors + [f"header is {lines[0] if lines else '(empty)'!r}, want {','.join(HEADER)!r}"], []
    if any(line == "" for line in lines):
        errors.append("file has empty lines")
    if '"' in text:
        errors.append("file has quotes; the loader reads plain comma-separated fields")

    rows = []
    for n, fields in enumerate(csv.reader(io.StringIO("\n".join(lines[1:]))), start=2):
        if len(fields) != len(HEADER):
            errors.append(f"line {n}: {len(fields)} fields, want {len(HEADER)}")
            continue
        rows.append(dict(zip(HEADER, fields), line=n))

    by_code = {}
    for r in rows:
        if r["code"] in by_code:
            errors.append(f"duplicate code {r['code']}")
        by_code[r["code"]] = r

    previous = ""
    for r in rows:
        code, parent, level, kind = r["code"], r["parent"], r["level"], r["kind"]
        where = f"line {r['line']} ({code})"
        if not re.fullmatch(r"[0-9]{6}", code):
            errors.append(f"{where}: code is not six digits")
        if code <= previous:
            errors.append(f"{where}: not sorted by code")
        previous = code
        if not r["name"] or r["name"] != r["name"].strip():
            errors.append(f"{where}: bad name {r['name']!r}")
        if kind not in ("division", "development_zone"):
            errors.append(f"{where}: bad kind {kind!r}")
        up = by_code.get(parent)
        if parent and up is None:
            errors.append(f"{where}: parent {parent} missing")
        if level == "province":
            if parent:
                errors.append(f"{where}: a province has no parent")
            if not code.endswith("0000"):
                errors.append(f"{where}: a province code ends in 0000")
        elif level == "city":
            if not parent or (up is not None and up["level"] != "province"):
                errors.append(f"{where}: parent {parent!r} is not a province")
            if not code.startswith(parent[:2]) or not code.endswith("00") or code.endswith("0000"):
                errors.append(f"{where}: not a city code under {parent!r}")
        elif level == "county":
            if not parent or (up is not None and up["level"] != "city"):
                errors.append(f"{where}: parent {parent!r} is not a city")
            if not code.startswith(parent[:4]) or code.endswith("00"):
                errors.append(f"{where}: not a county code under {parent!r}")
        else:
            errors.append(f"{where}: bad level {level!r}")
        if level != "province" and not code.startswith(IM[:2]):
            errors.append(f"{where}: below province level outside Inner Mongolia")
        zone_code = level == "county" and code[4:5] == "7"
        if kind == "development_zone" and not zone_code:
            errors.append(f"{where}: only county codes xxxx7x are development zones")
        if kind == "division" and zone_code:
            errors.append(f"{where}: a county code xxxx7x must be a development zone")
        if (r["lat"] == "") != (r["lon"] == ""):
            errors.append(f"{where}: only one of lat/lon")
        if level != "city" and (r["lat"] or r["lon"]):
            errors.append(f"{where}: coordinates only for leagues/cities")

    provinces = sorted(r["code"] for r in rows if r["level"] == "province")
    if provinces != [p + "0000" for p in PROVINCES]:
        missing = sorted({p + "0000" for p in PROVINCES} - set(provinces))
        extra = sorted(set(provinces) - {p + "0000" for p in PROVINCES})
        errors.append(f"province-level records are not the {len(PROVINCES)} of GB/T 2260 "
                      f"({len(provinces)} found): missing {missing}, unexpected {extra}")

    cities = [r for r in rows if r["level"] == "city" and r["parent"] == IM]
    if sorted(r["code"] for r in cities) != IM_CITIES:
        errors.append(f"{len(cities)} leagues/cities of {IM}, want the 12: "
                      f"{[r['code'] for r in cities]}")
    counties = [r for r in rows if r["level"] == "county" and r["code"].startswith(IM[:2])]
    divisions = [r for r in counties if r["kind"] == "division"]
    zones = sorted(r["code"] for r in counties if r["kind"] == "development_zone")
    if len(divisions) != WANT_IM_DIVISIONS:
        errors.append(f"{len(divisions)} county-level divisions of {IM}, want {WANT_IM_DIVISIONS}")
    if zones != IM_ZONES:
        errors.append(f"development zones of {IM}: {zones}, want {IM_ZONES}")
    for c in cities:
        if not any(r["parent"] == c["code"] for r in counties):
            errors.append(f"{c['code']} {c['name']}: no county-level records")
        try:
            lat, lon = float(c["lat"]), float(c["lon"])
        except ValueError:
            errors.append(f"{c['code']} {c['name']}: no seat coordinates")
            continue
        if not (LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1]):
            errors.append(f"{c['code']} {c['name']}: seat {lat},{lon} is outside Inner Mongolia")
    want_rows = len(PROVINCES) + len(IM_CITIES) + WANT_IM_DIVISIONS + len(IM_ZONES)
    if len(rows) != want_rows:
        errors.append(f"{len(rows)} rows, want {want_rows}")
    return errors, rows


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "data/regions.csv"
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    errors, rows = check(data)
    if errors:
        print(f"{path}: {len(errors)} problem(s); regenerate with `node tools/gen-regions.mjs`:",
              file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print(f"{path}: {len(rows)} regions ok (34 province-level; {IM}: 12 leagues/cities with seats, "
          f"{WANT_IM_DIVISIONS} county-level divisions, {len(IM_ZONES)} development zones)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
