/// A category value: numbers and text kept apart so numeric categories sort numerically, as pandas sorts them.
public enum CategoryKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    case number(Double)
    case text(String)

    public static func < (lhs: CategoryKey, rhs: CategoryKey) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a < b
        case (.text(let a), .text(let b)): a < b
        case (.number, .text): true
        case (.text, .number): false
        }
    }

    public var description: String {
        switch self {
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .text(let text): text
        }
    }
}

/// One column of one dataset after Evidently's cleaning (NaN and ±inf dropped).
public struct DriftSample: Sendable {
    /// The values when the column is numeric.
    public var numbers: [Double]?
    /// The values when the column holds text (or booleans).
    public var texts: [String]?
    /// Integer storage (pandas int64), which changes numpy's histogram bin width.
    public var isInteger: Bool

    public init(numbers: [Double], isInteger: Bool = false) {
        self.numbers = numbers.filter(\.isFinite)
        self.texts = nil
        self.isInteger = isInteger
    }

    public init(texts: [String]) {
        self.numbers = nil
        self.texts = texts
        self.isInteger = false
    }

    public var count: Int { self.numbers?.count ?? self.texts?.count ?? 0 }

    public var keys: [CategoryKey] {
        if let numbers { return numbers.map(CategoryKey.number) }
        return (self.texts ?? []).map(CategoryKey.text)
    }

    public var uniqueCount: Int {
        if let numbers { return Set(numbers).count }
        return Set(self.texts ?? []).count
    }
}

/// Counts of each category in the reference and the current sample, over the union of their categories (sorted).
struct CategoryCounts {
    var keys: [CategoryKey]
    var reference: [Double]
    var current: [Double]

    init(_ reference: DriftSample, _ current: DriftSample) {
        var referenceCounts: [CategoryKey: Double] = [:]
        var currentCounts: [CategoryKey: Double] = [:]
        for key in reference.keys { referenceCounts[key, default: 0] += 1 }
        for key in current.keys { currentCounts[key, default: 0] += 1 }
        self.keys = Set(referenceCounts.keys).union(currentCounts.keys).sorted()
        self.reference = self.keys.map { referenceCounts[$0] ?? 0 }
        self.current = self.keys.map { currentCounts[$0] ?? 0 }
    }
}
