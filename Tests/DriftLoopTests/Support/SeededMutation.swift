import DriftStats

@testable import DriftLoop

/// Byte-level mutations for the fuzz tests, drawn from the built-in trainer's reproducible SplitMix64: the seed in a
/// failure message replays them.
extension SplitMix64 {
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
