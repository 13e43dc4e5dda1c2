#!/usr/bin/env python3
"""What a user would run instead of `driftloop drift`: pandas reads both files (CSV or Parquet, by extension) and
Evidently's DataDriftPreset computes the report. Prints the dataset-drift verdict and the share. For the benchmark
in BENCHMARKS.md (Benchmarks/scripts/bench_parquet.sh runs it beside driftloop).

    .venv/evidently/bin/python Benchmarks/scripts/evidently_drift.py REFERENCE CURRENT
"""
import sys
import warnings

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

warnings.filterwarnings("ignore")


def read(path):
    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)


reference, current = read(sys.argv[1]), read(sys.argv[2])
result = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
for metric in result.dict()["metrics"]:
    if metric["metric_name"].startswith("DriftedColumnsCount"):
        print(f"evidently: {int(metric['value']['count'])} drifted columns, share {metric['value']['share']:.4g}")
