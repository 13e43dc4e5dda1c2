#!/usr/bin/env python3
"""Deterministic CSVs for the drift benchmark: 45,000 x 14 mixed columns and 200,000 x 20 numerical columns with
short decimals, and 200,000 x 20 numerical columns at full float64 precision (`repr`, 17 significant digits, as
pandas and numpy write float64), reference and current (some columns shifted).
Usage: generate_drift_benchmark_data.py OUT_DIR"""
import os
import random
import sys


def mixed(rng, rows, shifted):
    header = [f"num_{i}" for i in range(7)] + ["int_age", "int_count"] + [f"cat_{i}" for i in range(5)]
    levels = [["a", "b", "c"], ["north", "south", "east", "west"], ["yes", "no"], ["basic", "plus", "pro", "team", "enterprise"], [f"v{i}" for i in range(12)]]
    lines = [",".join(header)]
    for _ in range(rows):
        row = [f"{rng.gauss(0.4 * shifted * (i % 3 == 0), 1 + i):.6g}" for i in range(7)]
        row.append(str(int(rng.gauss(40 + 3 * shifted, 12))))
        row.append(str(rng.randint(0, 30)))
        for i, options in enumerate(levels):
            weights = [1 + (shifted and i % 2 == 0 and j == 0) for j in range(len(options))]
            row.append(rng.choices(options, weights)[0])
        lines.append(",".join(row))
    return "\n".join(lines) + "\n"


def numeric(rng, rows, shifted):
    header = [f"x{i}" for i in range(20)]
    lines = [",".join(header)]
    for _ in range(rows):
        lines.append(",".join(f"{rng.gauss(0.05 * shifted * (i % 4 == 0), 1):.6g}" for i in range(20)))
    return "\n".join(lines) + "\n"


def full_precision(rng, rows, shifted):
    header = [f"x{i}" for i in range(20)]
    lines = [",".join(header)]
    for _ in range(rows):
        lines.append(",".join(repr(rng.gauss(0.05 * shifted * (i % 4 == 0), 1)) for i in range(20)))
    return "\n".join(lines) + "\n"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    tables = [("mixed_45k", mixed, 45_000), ("numeric_200k", numeric, 200_000), ("float64_200k", full_precision, 200_000)]
    for name, make, rows in tables:
        for part, shifted, seed in [("reference", False, 1), ("current", True, 2)]:
            path = os.path.join(out, f"{name}_{part}.csv")
            if not os.path.exists(path):
                with open(path, "w") as handle:
                    handle.write(make(random.Random(seed), rows, shifted))


if __name__ == "__main__":
    main()
