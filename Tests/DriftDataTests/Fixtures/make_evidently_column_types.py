#!/usr/bin/env python3
"""Writes evidently_column_types.json: for every Parquet fixture, the type Evidently gives each column of the
DataFrame pandas.read_parquet makes of it (num, cat, text), or `excluded` (Evidently's Datetime and Unknown, which it
does not test). ParquetTableReaderTests checks driftloop's typing against it.

Evidently 0.7.23 needs pandas 2 (it does not import under pandas 3):
    python3 -m venv /tmp/evidently && /tmp/evidently/bin/pip install evidently==0.7.23 'pandas<3' pyarrow==26.0.1
    /tmp/evidently/bin/python Tests/DriftDataTests/Fixtures/make_evidently_column_types.py
"""
import json
import os
import warnings

import evidently
import pandas as pd
import pyarrow.parquet as pq
from evidently.core.datasets import ColumnType, infer_column_type

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
PARQUET = os.path.join(HERE, "..", "..", "ParquetFormatTests", "Fixtures")
NAMES = {ColumnType.Numerical: "num", ColumnType.Categorical: "cat", ColumnType.Text: "text"}
files = sorted(f[:-8] for f in os.listdir(PARQUET) if f.endswith(".parquet")) + ["generated/extra_types"]
result = {"versions": {"evidently": evidently.__version__, "pandas": pd.__version__}, "files": {}}
for name in files:
    try:
        table = pq.read_table(os.path.join(PARQUET, name + ".parquet"))
    except OSError as error:  # a codec this pyarrow build lacks; the file is left out of the comparison
        print(f"skipped {name}: {error}")
        continue
    try:
        frame = pd.read_parquet(os.path.join(PARQUET, name + ".parquet"))
    except Exception:  # a column pandas cannot convert (TIME in ns): type the others one by one
        frame = None
    columns = {}
    for column in table.column_names:
        try:
            series = frame[column] if frame is not None else table.select([column]).to_pandas()[column]
        except Exception:
            columns[column] = "excluded"  # pandas cannot even read it
            continue
        columns[column] = NAMES.get(infer_column_type(series), "excluded")
    result["files"][name] = columns
with open(os.path.join(HERE, "evidently_column_types.json"), "w") as stream:
    json.dump(result, stream, indent=1, sort_keys=True)
    stream.write("\n")
