#!/usr/bin/env python3
"""Benchmarks of the dispatch optimiser (issue 5). Standard library only.

  bench/schedule/run.py solomon  [--time-limit 5] [--convention distance|hierarchical]
  bench/schedule/run.py toptw    [--time-limit 10]
  bench/schedule/run.py campaign [--time-limit 60] [--sizes 300,1000,3000]
  bench/schedule/run.py exact    [--time-limit 10] [--instances 5]   (needs xj_schedule_exact)

Every run prints one line per instance (result, best known or baseline, gap) and a summary.
--tool is the binary to run: `xuanjiang` or the stand-alone `xj_schedule_tool` (same options).
Runs are sequential, one core each; prefix with `nice -n 10` on a shared machine.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data", "bench")


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def solve_cmd(args, fmt, path, extra):
    return [args.tool, "schedule", "solve", "--format", fmt, "--time-limit",
            str(args.time_limit), "--seed", str(args.seed)] + extra + [path]


def summary(gaps, at_best, label):
    if not gaps:
        return
    print(f"# {label}: n={len(gaps)} mean gap {statistics.mean(gaps):.2f}% "
          f"median {statistics.median(gaps):.2f}% worst {max(gaps):.2f}% "
          f"at best-known {at_best}")


def solomon(args):
    rows = list(csv.DictReader(open(os.path.join(DATA, "solomon", "best-known.csv"))))
    gaps, at_best, vehicles = [], 0, []
    hier = args.convention == "hierarchical"
    print("instance vehicles distance best_vehicles best gap% feasible seconds")
    for r in rows:
        if args.only and not any(r["instance"].startswith(p) for p in args.only.split(",")):
            continue
        path = os.path.join(DATA, "solomon", r["instance"] + ".txt")
        if hier:
            if not r["hier_distance"]:
                continue
            bv, best = int(r["hier_vehicles"]), float(r["hier_distance"])
            extra = ["--convention", "hierarchical"]
        else:
            bv, best = int(r["dist_vehicles"]), float(r["dist_best"])
            extra = ["--vehicles", str(bv)]
        res = run(solve_cmd(args, "solomon", path, extra))
        ok = res["feasible"] and (hier or res["vehicles"] <= bv)
        gap = 100.0 * (res["distance"] - best) / best
        if not ok:
            gap = float("nan")
        print(f"{r['instance']} {res['vehicles']} {res['distance']:.2f} {bv} {best} "
              f"{gap:.2f} {ok} {res['seconds']}", flush=True)
        if hier and ok:
            vehicles.append((res["vehicles"], bv))
            # Hierarchical: a distance gap means something only at the best vehicle count.
            if res["vehicles"] == bv:
                gaps.append(gap)
                at_best += 1 if gap <= 1e-6 else 0
        elif ok:
            gaps.append(gap)
            at_best += 1 if gap <= 1e-9 else 0
    if hier and vehicles:
        print(f"# solomon hierarchical, {args.time_limit} s: n={len(vehicles)} vehicles "
              f"{sum(v for v, _ in vehicles)} vs best-known {sum(b for _, b in vehicles)}; "
              f"at the best vehicle count {sum(1 for v, b in vehicles if v <= b)}, "
              f"one more {sum(1 for v, b in vehicles if v == b + 1)}, "
              f"two or more {sum(1 for v, b in vehicles if v >= b + 2)}")
        summary(gaps, at_best, "distance gap where the vehicle count is the best-known one")
        return
    summary(gaps, at_best, f"solomon {args.convention} convention, {args.time_limit} s")


def toptw(args):
    rows = list(csv.DictReader(open(os.path.join(DATA, "toptw", "best-known.csv"))))
    single, full = [], []
    print("instance vehicles profit best gap% seconds")
    for r in rows:
        if args.only and not any(r["instance"].startswith(p) for p in args.only.split(",")):
            continue
        path = os.path.join(DATA, "toptw", r["instance"] + ".txt")
        v, best = int(r["vehicles"]), float(r["best_prize"])
        res = run(solve_cmd(args, "toptw", path, ["--vehicles", str(v)]))
        gap = 100.0 * (best - res["profit"]) / best
        print(f"{r['instance']} {v} {res['profit']:.0f} {best:.0f} {gap:.2f} {res['seconds']}",
              flush=True)
        (single if v == 1 else full).append(gap)
    for name, g in (("one vehicle", single), ("full fleet", full)):
        if g:
            print(f"# toptw {name}: n={len(g)} at best {sum(1 for x in g if x <= 1e-9)} "
                  f"mean gap {statistics.mean(g):.2f}% worst {max(g):.2f}%")


def generate(args, orders, lecturers, weeks, seed, path):
    cmd = [args.tool, "schedule", "generate", "--orders", str(orders), "--lecturers",
           str(lecturers), "--seed", str(seed), "-o", path]
    if weeks:
        cmd[7:7] = ["--weeks", str(weeks)]
    subprocess.run(cmd, check=True)


def terms(plan):
    o = plan["objective"]
    return (f"total {o['total']:.0f} served {o['orders_served']}/{o['orders_total']} "
            f"priority {o['priority_served']:.0f}/{o['priority_total']:.0f} "
            f"groups {o['groups_reached']}/{o['groups_total']} "
            f"sessions {o['sessions_per_lecturer']['min']}-{o['sessions_per_lecturer']['max']} "
            f"(sum sq {o['sessions_per_lecturer']['sum_of_squares']}) "
            f"km {o['travel_km']:.0f}")


def campaign(args):
    with tempfile.TemporaryDirectory() as d:
        for n in [int(x) for x in args.sizes.split(",")]:
            path = os.path.join(d, f"c{n}.json")
            generate(args, n, 60, 0, args.seed, path)
            greedy = run([args.tool, "schedule", "solve", "--format", "campaign", "--method",
                          "greedy", "--time-limit", "1", path])
            best = run(solve_cmd(args, "campaign", path, []))
            print(f"campaign {n} orders, 60 lecturers, seed {args.seed}")
            print(f"  greedy  ({greedy['seconds']:.2f} s): {terms(greedy)}")
            print(f"  sisr    ({best['seconds']:.2f} s, {best['iterations']} iterations): "
                  f"{terms(best)}", flush=True)


def exact(args):
    if not os.path.exists(args.exact):
        sys.exit(f"{args.exact} not found: build xj_schedule_exact (needs coinor-libcbc-dev)")
    gaps = []
    with tempfile.TemporaryDirectory() as d:
        for k in range(args.instances):
            seed = args.seed + k
            path = os.path.join(d, f"small{seed}.json")
            generate(args, 25, 5, 1, seed, path)
            opt = json.loads(subprocess.run([args.exact, path], check=True, capture_output=True,
                                            text=True).stdout)
            res = run(solve_cmd(args, "campaign", path, []))
            got = res["objective"]["total"]
            gap = 100.0 * (got - opt["objective"]) / max(1e-9, abs(opt["objective"]))
            gaps.append(gap)
            print(f"small seed {seed}: 25 orders, 5 lecturers, 1 week: optimum "
                  f"{opt['objective']:.2f} ({opt['columns']} routes, {opt['seconds']:.1f} s) "
                  f"sisr {got:.2f} gap {gap:.3f}%", flush=True)
    print(f"# exact: n={len(gaps)} at optimum {sum(1 for g in gaps if abs(g) <= 1e-4)} "
          f"worst gap {max(gaps):.3f}%")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("set", choices=["solomon", "toptw", "campaign", "exact"])
    ap.add_argument("--tool", default=os.environ.get("XJ_SCHEDULE_TOOL", "build/src/schedule/xj_schedule_tool"))
    ap.add_argument("--exact", default=os.environ.get("XJ_SCHEDULE_EXACT", "build/bench/schedule/xj_schedule_exact"))
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--convention", default="distance", choices=["distance", "hierarchical"])
    ap.add_argument("--sizes", default="300,1000,3000")
    ap.add_argument("--instances", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated instance name prefixes")
    args = ap.parse_args()
    if args.time_limit is None:
        args.time_limit = {"solomon": 5, "toptw": 10, "campaign": 60, "exact": 10}[args.set]
    {"solomon": solomon, "toptw": toptw, "campaign": campaign, "exact": exact}[args.set](args)


if __name__ == "__main__":
    main()
