/// NumPy's legacy global generator (`np.random.seed`, `np.random.permutation`, `np.random.choice` without
/// replacement): MT19937 seeded with `init_genrand` and shuffled with masked rejection sampling. Evidently's TVD
/// and empirical MMD p-values are permutation counts drawn from it, so only the same stream reproduces them.
struct LegacyRandomState {
    private var generator: MersenneTwister

    init(seed: UInt32) {
        self.generator = MersenneTwister(genrandSeed: seed)
    }

    mutating func nextUInt32() -> UInt32 {
        self.generator.nextUInt32()
    }

    mutating func nextUInt64() -> UInt64 {
        let high = UInt64(self.nextUInt32())
        return (high << 32) | UInt64(self.nextUInt32())
    }

    /// `random_interval(max)`: uniform on 0...max by rejecting draws above `max` under the smallest covering mask.
    mutating func interval(_ max: Int) -> Int {
        if max == 0 { return 0 }
        var mask = UInt64(max)
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        mask |= mask >> 32
        if max <= 0xffff_ffff {
            while true {
                let value = UInt64(self.nextUInt32()) & mask
                if value <= UInt64(max) { return Int(value) }
            }
        }
        while true {
            let value = self.nextUInt64() & mask
            if value <= UInt64(max) { return Int(value) }
        }
    }

    /// `permutation(n)`: a Fisher-Yates shuffle of 0..<n from the last position down.
    mutating func permutation(_ n: Int) -> [Int] {
        var values = [Int](repeating: 0, count: n)
        self.permutation(into: &values)
        return values
    }

    /// The same permutation written into `values` (its count is n), so that callers drawing thousands of them
    /// reuse one buffer.
    mutating func permutation(into values: inout [Int]) {
        values.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = index }
            var i = buffer.count - 1
            while i >= 1 {
                let j = self.interval(i)
                let held = buffer[i]
                buffer[i] = buffer[j]
                buffer[j] = held
                i -= 1
            }
        }
    }
}
