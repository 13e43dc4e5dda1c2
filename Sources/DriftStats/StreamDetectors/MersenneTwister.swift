/// CPython's `random.Random`: MT19937 seeded from an integer through `init_by_array`, with `getrandbits`,
/// `_randbelow`, `random()` and `sample()` as CPython implements them, so seeded runs draw exactly what River's
/// detectors draw.
struct MersenneTwister: Sendable, Codable, Equatable {
    private var state: [UInt32]
    private var index: Int

    init(seed: UInt64) {
        var key: [UInt32] = []
        var remaining = seed
        repeat {
            key.append(UInt32(truncatingIfNeeded: remaining))
            remaining >>= 32
        } while remaining > 0
        self.state = Self.initialState(19_650_218)
        self.index = 624
        var i = 1, j = 0
        for _ in 0..<max(624, key.count) {
            let previous = self.state[i - 1] ^ (self.state[i - 1] >> 30)
            self.state[i] = (self.state[i] ^ (previous &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 {
                self.state[0] = self.state[623]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            let previous = self.state[i - 1] ^ (self.state[i - 1] >> 30)
            self.state[i] = (self.state[i] ^ (previous &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 {
                self.state[0] = self.state[623]
                i = 1
            }
        }
        self.state[0] = 0x8000_0000
    }

    /// Seeded by `init_genrand` alone, as NumPy's legacy `np.random.seed(int)` does.
    init(genrandSeed seed: UInt32) {
        self.state = Self.initialState(seed)
        self.index = 624
    }

    private static func initialState(_ seed: UInt32) -> [UInt32] {
        var state = [UInt32](repeating: 0, count: 624)
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        return state
    }

    mutating func nextUInt32() -> UInt32 {
        if self.index >= 624 { self.twist() }
        var y = self.state[self.index]
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7FFF_FFFF)
            var next = self.state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_B0DF }
            self.state[i] = next
        }
        self.index = 0
    }

    /// `getrandbits(k)` for k <= 32.
    mutating func randomBits(_ k: Int) -> UInt32 {
        self.nextUInt32() >> UInt32(32 - k)
    }

    /// `_randbelow_with_getrandbits(n)`.
    mutating func below(_ n: Int) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = Int(self.randomBits(k))
        while r >= n { r = Int(self.randomBits(k)) }
        return r
    }

    /// `random()`: 53 random bits in [0, 1).
    mutating func nextDouble() -> Double {
        let a = Double(self.nextUInt32() >> 5)
        let b = Double(self.nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `sample(range(n), k)`, with CPython's choice between the pool and the set algorithm.
    mutating func sample(rangeCount n: Int, k: Int) -> [Int] {
        var setSize = 21
        if k > 5 {
            var exponent = 0
            var power = 1
            // ceil(log4(3k)) computed exactly on integers.
            while power < 3 * k {
                power *= 4
                exponent += 1
            }
            setSize += Int(pow4(exponent))
        }
        var result: [Int] = []
        result.reserveCapacity(k)
        if n <= setSize {
            var pool = Array(0..<n)
            for i in 0..<k {
                let j = self.below(n - i)
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = self.below(n)
                while selected.contains(j) { j = self.below(n) }
                selected.insert(j)
                result.append(j)
            }
        }
        return result
    }

    private func pow4(_ exponent: Int) -> Int {
        var value = 1
        for _ in 0..<exponent { value *= 4 }
        return value
    }
}
