"""Runs a command and samples a process's memory every 10 ms while it runs: its own, or that of
--watch PID (a server answering the command). Prints: wall seconds, CPU seconds (user + system)
of that process over the run, then the peaks of VmHWM, RssAnon (the heap and stacks: what the
program itself holds) and RssFile (file pages mapped in: the SQLite database is read through
mmap, so its pages count here), in KiB. On a machine shared with other work, CPU seconds say
more than wall seconds.
Usage: python3 bench/api/peak_memory.py [--watch PID] COMMAND...
"""
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


args = sys.argv[1:]
watch = None
if args[:1] == ["--watch"]:
    watch, args = int(args[1]), args[2:]
cpu_before = cpu_seconds(watch) if watch else 0.0
start = time.monotonic()
proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
pid = watch or proc.pid
peak = {"VmHWM": 0, "RssAnon": 0, "RssFile": 0}
status = None
while status is None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in peak:
                    peak[key] = max(peak[key], int(value.split()[0]))
    except (OSError, ValueError):
        pass
    done, code, usage = os.wait4(proc.pid, os.WNOHANG)
    if done:
        status = code
    else:
        time.sleep(0.01)
wall = time.monotonic() - start
if status != 0:
    sys.exit(f"{args[0]} failed with status {status}")
cpu = cpu_seconds(watch) - cpu_before if watch else usage.ru_utime + usage.ru_stime
print(f"{wall:.2f} {cpu:.2f} {peak['VmHWM']} {peak['RssAnon']} {peak['RssFile']}")
