#!/usr/bin/env python3
"""Times whole commands, interleaved: each of the named commands runs once per round, in turn, for RUNS rounds
(after one warm-up round), so a machine that speeds up or slows down affects them all alike. Prints, per command, the
median, minimum and maximum wall time and the median peak RSS (the child's own, from wait4), and each command's
median time relative to the first one's.

    python3 Benchmarks/scripts/time_interleaved.py --runs 7 'driftloop parquet=CMD ARGS' 'evidently=CMD ARGS' ...
"""
import argparse
import os
import shlex
import statistics
import subprocess
import time


def run(command):
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("commands", nargs="+", help="NAME=COMMAND (split as a shell splits words)")
    args = parser.parse_args()
    named = [(item.split("=", 1)[0], shlex.split(item.split("=", 1)[1])) for item in args.commands]
    times = {name: [] for name, _ in named}
    peaks = {name: [] for name, _ in named}
    codes = {name: set() for name, _ in named}
    for round_number in range(args.runs + 1):
        for name, command in named:
            wall, peak, code = run(command)
            if round_number > 0:  # round 0 warms caches
                times[name].append(wall)
                peaks[name].append(peak)
                codes[name].add(code)
    first = statistics.median(times[named[0][0]])
    for name, _ in named:
        median = statistics.median(times[name])
        print(f"{name}: median {median * 1000:.1f} ms (min {min(times[name]) * 1000:.1f}, max {max(times[name]) * 1000:.1f}, "
              f"{args.runs} runs), peak RSS {statistics.median(peaks[name]):.0f} MB, exit {sorted(codes[name])}, "
              f"{median / first:.2f}x the first")


if __name__ == "__main__":
    main()
