#!/usr/bin/env python3
"""What a River user runs instead of `driftloop detect`: read the stream file, feed each value to the detector in a
Python loop, and print the drift and warning indices in `driftloop detect --json`'s shape (warnings as [start, end]
runs), so the two outputs can be compared byte for byte.

    python3 river_detect.py adwin|page-hinkley|ddm|hddm-a FILE
"""
import json
import sys

from river import drift
from river.drift import binary


def main():
    name, path = sys.argv[1], sys.argv[2]
    detector = {
        "adwin": lambda: drift.ADWIN(),
        "page-hinkley": lambda: drift.PageHinkley(),
        "ddm": lambda: binary.DDM(),
        "hddm-a": lambda: binary.HDDMA(),
    }[name]()
    drifts, warnings = [], []
    run_start = None
    index = -1
    with open(path) as stream:
        for line in stream:
            line = line.strip()
            if not line:
                continue
            index += 1
            value = float(line)
            detector.update(value)
            if getattr(detector, "warning_detected", False):
                if run_start is None:
                    run_start = index
            elif run_start is not None:
                warnings.append([run_start, index - 1])
                run_start = None
            if detector.drift_detected:
                drifts.append(index)
    if run_start is not None:
        warnings.append([run_start, index])
    print(json.dumps({"drift": drifts, "warning": warnings}, separators=(",", ":"), sort_keys=True))


if __name__ == "__main__":
    main()
