#!/usr/bin/env python3
"""Generates the package's own test fixtures (beside the shared ones copied from
the shared reference data (reference/data/parquet)) into Tests/ParquetFormatTests/Fixtures/generated/.

    pip install pyarrow==26.0.1
    python3 Tests/ParquetFormatTests/Fixtures/generated/make_test_fixtures.py

Files:
  wide_20_columns.parquet   20 columns x 20,000 rows in 4 row groups (pyarrow defaults: snappy,
                            dictionary), values computable from (row, column) so the test checks
                            them without a CSV; used to count bytes read for a 2-column read.
  extra_types.parquet/.csv  types the shared fixtures lack: INT96 timestamps, INT(8/16) and
                            unsigned INT(8/16/32/64), TIME millis/micros/nanos, plain BINARY,
                            FIXED_LEN_BYTE_ARRAY without annotation, DECIMAL(38,10) in FLBA(16);
                            the CSV twin is rendered here in the section-8 format.
  nested_struct.parquet     a struct column `a` {b, c}: must be refused naming `a.b`.
  nested_list.parquet       a list column `tags`: must be refused naming `tags.list.element`.
"""
import datetime
import decimal

decimal.getcontext().prec = 60  # exact 38-digit decimals; the default 28 would round them
import os

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.dirname(os.path.abspath(__file__))
os.makedirs(OUT, exist_ok=True)


def wide():
    rows = 20_000
    columns = {"id": pa.array(range(rows), pa.int64())}
    for k in range(1, 20):
        name = "c%02d" % k
        if k % 3 == 0:
            columns[name] = pa.array([i * k for i in range(rows)], pa.int64())
        elif k % 3 == 1:
            columns[name] = pa.array([i * 0.25 + k for i in range(rows)], pa.float64())
        else:
            columns[name] = pa.array(["r%d_c%d" % (i, k) for i in range(rows)], pa.string())
    table = pa.table(columns)
    pq.write_table(table, os.path.join(OUT, "wide_20_columns.parquet"), row_group_size=5_000)


def fmt_float(x):
    return repr(float(x))


def extra_types():
    n = 40
    epoch = datetime.datetime(1970, 1, 1)
    int96_ns = [None if i % 7 == 3 else (i - 20) * 86_400_000_000_000 // 3 + i * 123_456_789 for i in range(n)]
    u8 = [None if i % 5 == 4 else (i * 37) % 256 for i in range(n)]
    u16 = [(i * 4099) % 65536 for i in range(n)]
    u32 = [None if i % 6 == 1 else (4_294_967_295 - i * 1_000_003) for i in range(n)]
    u64 = [18_446_744_073_709_551_615 - i * 1_000_000_007 for i in range(n)]
    i8 = [None if i % 9 == 2 else (i * 13) % 256 - 128 for i in range(n)]
    i16 = [(i * 3001) % 65536 - 32768 for i in range(n)]
    t_ms = [None if i % 4 == 0 else (i * 2_111_111) % 86_400_000 for i in range(n)]
    t_us = [(i * 2_111_111_111) % 86_400_000_000 for i in range(n)]
    t_ns = [None if i % 8 == 5 else (i * 2_111_111_111_111) % 86_400_000_000_000 for i in range(n)]
    binary = [None if i % 10 == 9 else bytes((i * j) % 256 for j in range(i % 6)) for i in range(n)]
    fixed = [None if i % 11 == 10 else bytes([(i + j * 50) % 256 for j in range(4)]) for i in range(n)]
    dec38 = [None if i % 12 == 11 else decimal.Decimal((-1) ** i * (10 ** (28 + i % 10) - 1 - i)).scaleb(-10) for i in range(n)]

    table = pa.table({
        "ts_int96": pa.array(int96_ns, pa.timestamp("ns")),
        "u8": pa.array(u8, pa.uint8()),
        "u16": pa.array(u16, pa.uint16()),
        "u32": pa.array(u32, pa.uint32()),
        "u64": pa.array(u64, pa.uint64()),
        "i8": pa.array(i8, pa.int8()),
        "i16": pa.array(i16, pa.int16()),
        "t_ms": pa.array(t_ms, pa.time32("ms")),
        "t_us": pa.array(t_us, pa.time64("us")),
        "t_ns": pa.array(t_ns, pa.time64("ns")),
        "raw_binary": pa.array(binary, pa.binary()),
        "fixed4": pa.array(fixed, pa.binary(4)),
        "dec_38_10": pa.array(dec38, pa.decimal128(38, 10)),
    })
    path = os.path.join(OUT, "extra_types.parquet")
    pq.write_table(table, path, use_deprecated_int96_timestamps=True, compression="zstd",
                   coerce_timestamps=None, store_schema=False)

    def ts(ns):
        seconds, frac = divmod(ns, 1_000_000_000)
        return (epoch + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S") + ".%09d" % frac

    def tod(ticks, per_second, digits):
        seconds, frac = divmod(ticks, per_second)
        return "%02d:%02d:%02d.%0*d" % (seconds // 3600, seconds % 3600 // 60, seconds % 60, digits, frac)

    def dec(d):
        return format(d, "f") if d is not None else None

    renderers = [
        (int96_ns, ts), (u8, str), (u16, str), (u32, str), (u64, str), (i8, str), (i16, str),
        (t_ms, lambda v: tod(v, 1000, 3)), (t_us, lambda v: tod(v, 1_000_000, 6)),
        (t_ns, lambda v: tod(v, 1_000_000_000, 9)),
        (binary, lambda b: "0x" + b.hex()), (fixed, lambda b: "0x" + b.hex()), (dec38, dec),
    ]
    lines = [",".join(table.column_names)]
    for i in range(n):
        fields = []
        for values, render in renderers:
            v = values[i]
            fields.append("" if v is None else render(v))
        lines.append(",".join(fields))
    with open(os.path.join(OUT, "extra_types.csv"), "w", newline="") as f:
        f.write("\n".join(lines) + "\n")


def nested():
    struct = pa.array([{"b": i, "c": "x%d" % i} for i in range(10)],
                      pa.struct([("b", pa.int64()), ("c", pa.string())]))
    pq.write_table(pa.table({"id": pa.array(range(10)), "a": struct}), os.path.join(OUT, "nested_struct.parquet"))
    tags = pa.array([["t%d" % j for j in range(i % 3)] for i in range(10)], pa.list_(pa.string()))
    pq.write_table(pa.table({"id": pa.array(range(10)), "tags": tags}), os.path.join(OUT, "nested_list.parquet"))


if __name__ == "__main__":
    wide()
    extra_types()
    nested()
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
