/// A reproducible random source (SplitMix64) for the fuzz tests: the seed in a failure message replays it.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One of a few byte-level mutations of `text`: flip, delete, duplicate or insert a YAML/JSON-significant byte.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let significant = Array(":{}[],-#'\"\n \t&*!|>%@`\\0123456789.eE+".utf8) + [0x00, 0xFF, 0xC3]
        for _ in 0..<Int.random(in: 1...4, using: &self) {
            guard !bytes.isEmpty else { bytes = [significant.randomElement(using: &self)!]; continue }
            let index = Int.random(in: 0..<bytes.count, using: &self)
            switch Int.random(in: 0..<5, using: &self) {
            case 0: bytes[index] = significant.randomElement(using: &self)!
            case 1: bytes.remove(at: index)
            case 2:
                let end = min(bytes.count, index + Int.random(in: 1...40, using: &self))
                bytes.insert(contentsOf: bytes[index..<end], at: index)
            case 3: bytes.insert(significant.randomElement(using: &self)!, at: index)
            default: bytes[index] ^= UInt8.random(in: 1...255, using: &self)
            }
        }
        return bytes
    }
}
