/// Merges wanted byte ranges into the fewer, larger ranges worth requesting.
enum RangeCoalescing {
    /// Sorted, non-empty, non-overlapping ranges covering every input range. Neighbours at most `gap` bytes
    /// apart are joined unless the join would exceed `maxBytes` (a single input range longer than that stays whole).
    static func coalesce(_ ranges: [Range<Int>], gap: Int, maxBytes: Int) -> [Range<Int>] {
        let sorted = ranges.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in sorted {
            if let last = merged.last {
                let overlapsOrTouches = range.lowerBound <= last.upperBound
                let near = range.lowerBound - last.upperBound <= gap
                let joined = last.lowerBound..<max(last.upperBound, range.upperBound)
                if overlapsOrTouches || (near && joined.count <= maxBytes) {
                    merged[merged.count - 1] = joined
                    continue
                }
            }
            merged.append(range)
        }
        return merged
    }
}
