extension SplitMix64 {
    /// A row index in `0..<count` drawn exactly as the significance note (section 5) prescribes, so bootstrap
    /// replicates match the reference bit for bit on every machine.
    ///
    /// `Int.random(in:using:)` is deliberately not used: its rejection sampling consumes a varying number of
    /// outputs and its mapping is the standard library's to change, so it would not reproduce the reference.
    package mutating func nextResampleIndex(below count: Int) -> Int {
        Self.resampleIndex(fromOutput: next(), below: count)
    }

    /// The top 53 bits of one output become a unit double in [0, 1), exactly; it is scaled by `count` and floored.
    package static func resampleIndex(fromOutput output: UInt64, below count: Int) -> Int {
        precondition(count > 0, "cannot draw an index from an empty range")
        let unit = Double(output >> 11) * 0x1p-53
        let index = Int((unit * Double(count)).rounded(.down))
        // The product stays below `count` in binary64 for any count below 2^53; the clamp only makes that explicit.
        return min(index, count - 1)
    }
}
