#!/usr/bin/env python3
# The median of several runs of bench/api/lists.sh: one table whose rows take, per request, the
# median req/s, p50 (with the range of the runs), p99 and server CPU per request; the load
# averages each run printed go first.
# Usage: bench/api/lists_median.py run1.md run2.md run3.md
import re, sys, statistics
def ms(v):
    m = re.match(r'([\d.]+)(us|ms|s)$', v)
    x = float(m.group(1)); u = m.group(2)
    return x / 1000 if u == 'us' else x * 1000 if u == 's' else x
files = sys.argv[1:]
rows = {}; order = []; loads = []
for f in files:
    for line in open(f):
        if line.startswith('load average'):
            loads.append(line.strip().split(': ')[1].split(';')[0].split()[0])
        if not line.startswith('| ') or line.startswith('| engine') or line.startswith('| ---'):
            continue
        c = [x.strip() for x in line.strip().strip('|').split('|')]
        key = tuple(c[:3])
        if key not in rows: rows[key] = []; order.append(key)
        rows[key].append(c)
print('loads (before, after of each run):', ' '.join(loads))
print()
print('| engine | scope | request | total | req/s | p50 (median; min–max of 3) | p99 | server CPU per request |')
print('| --- | --- | --- | --- | --- | --- | --- | --- |')
for k in order:
    r = rows[k]
    p50 = [ms(x[5]) for x in r]; p99 = [ms(x[6]) for x in r]
    rps = [float(x[4]) for x in r]; cpu = [float(x[7].split()[0]) for x in r]
    print(f'| {k[0]} | {k[1]} | {k[2]} | {r[0][3]} | {statistics.median(rps):.1f} | '
          f'{statistics.median(p50):.1f} ms ({min(p50):.1f}–{max(p50):.1f}) | {statistics.median(p99):.1f} ms | '
          f'{statistics.median(cpu):.2f} ms |')
