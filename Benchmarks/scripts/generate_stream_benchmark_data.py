#!/usr/bin/env python3
"""Streams for the `driftloop detect` benchmark, one value per line, from SplitMix64 so every machine writes the same
files: `gauss_1m.txt`, 1,000,000 normal values (Box-Muller) whose mean moves by 1.5 half-way, written at full float64
`repr` precision as numpy and pandas write them; `errors_1m.txt`, 1,000,000 0/1 prediction errors whose rate moves
from 0.1 to 0.3 half-way.

    python3 generate_stream_benchmark_data.py DIRECTORY
"""
import math
import os
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) / float(1 << 53)


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    count = 1_000_000
    generator = SplitMix64(20261207)
    with open(os.path.join(directory, "gauss_1m.txt"), "w") as out:
        for index in range(count):
            u1 = max(generator.uniform(), 1e-300)
            u2 = generator.uniform()
            value = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2) + (1.5 if index >= count // 2 else 0.0)
            out.write(repr(value) + "\n")
    with open(os.path.join(directory, "errors_1m.txt"), "w") as out:
        for index in range(count):
            rate = 0.3 if index >= count // 2 else 0.1
            out.write("1\n" if generator.uniform() < rate else "0\n")


if __name__ == "__main__":
    main()
