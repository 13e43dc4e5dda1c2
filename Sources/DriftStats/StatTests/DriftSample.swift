/// A category value: numbers and text kept apart so numeric categories sort numerically, as pandas sorts them.
package enum CategoryKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    case number(Double)
    case text(String)

    package static func < (lhs: CategoryKey, rhs: CategoryKey) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a < b
        case (.text(let a), .text(let b)): a < b
        case (.number, .text): true
        case (.text, .number): false
        }
    }

    package var description: String {
        switch self {
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .text(let text): text
        }
    }
}

/// One column of one dataset after Evidently's cleaning (NaN and ±inf dropped).
package struct DriftSample: Sendable {
    /// The values when the column is numeric.
    package var numbers: [Double]?
    /// The values when the column holds text (or booleans): a code per value into `levels`.
    package var codes: [Int32]?
    package var levels: [String]
    /// Integer storage (pandas int64), which changes numpy's histogram bin width.
    package var isInteger: Bool

    package init(numbers: [Double], isInteger: Bool = false) {
        self.numbers = numbers.allSatisfy(\.isFinite) ? numbers : numbers.filter(\.isFinite)
        self.codes = nil
        self.levels = []
        self.isInteger = isInteger
    }

    /// Interned text values; codes must be valid indices into `levels` (missing values already dropped).
    package init(codes: [Int32], levels: [String]) {
        self.numbers = nil
        self.codes = codes
        self.levels = levels
        self.isInteger = false
    }

    package init(texts: [String]) {
        var index: [String: Int32] = [:]
        var levels: [String] = []
        let codes = texts.map { text -> Int32 in
            if let code = index[text] { return code }
            let code = Int32(levels.count)
            levels.append(text)
            index[text] = code
            return code
        }
        self.init(codes: codes, levels: levels)
    }

    package var count: Int { self.numbers?.count ?? self.codes?.count ?? 0 }

    /// Counts per category, by key.
    func categoryCounts() -> [CategoryKey: Double] {
        var counts: [CategoryKey: Double] = [:]
        if let numbers {
            for value in numbers { counts[.number(value), default: 0] += 1 }
        } else if let codes {
            var perCode = [Double](repeating: 0, count: self.levels.count)
            for code in codes { perCode[Int(code)] += 1 }
            for (code, count) in perCode.enumerated() where count > 0 { counts[.text(self.levels[code]), default: 0] += count }
        }
        return counts
    }

    /// The number of distinct values, counted only up to `limit` (the automatic test choice needs no more).
    func distinctCount(upTo limit: Int, with other: DriftSample? = nil) -> Int {
        if self.numbers == nil {
            var keys = Set(self.categoryCounts().keys)
            if let other { keys.formUnion(other.categoryCounts().keys) }
            return min(keys.count, limit)
        }
        var seen = Set<Double>(minimumCapacity: limit + 1)
        for values in [self.numbers ?? [], other?.numbers ?? []] {
            for value in values {
                seen.insert(value)
                if seen.count >= limit { return limit }
            }
        }
        return seen.count
    }
}

/// Counts of each category in the reference and the current sample, over the union of their categories (sorted).
struct CategoryCounts {
    var keys: [CategoryKey]
    var reference: [Double]
    var current: [Double]

    init(_ reference: DriftSample, _ current: DriftSample) {
        let referenceCounts = reference.categoryCounts()
        let currentCounts = current.categoryCounts()
        self.keys = Set(referenceCounts.keys).union(currentCounts.keys).sorted()
        self.reference = self.keys.map { referenceCounts[$0] ?? 0 }
        self.current = self.keys.map { currentCounts[$0] ?? 0 }
    }
}
