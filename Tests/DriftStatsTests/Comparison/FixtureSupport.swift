import DriftData
import Foundation
import Synchronization
import Testing

@testable import DriftStats

/// The nine reference sets of SIGNIFICANCE-METHOD.md, copied under Fixtures/evaluation.
enum Fixture {
    static let binarySets = [
        "bin_clear_better_n2000",
        "bin_indistinguishable_n1000",
        "bin_score_ties_n500",
        "bin_identical_models_n300",
        "bin_one_class_n100",
        "bin_small_n50",
    ]
    static let multiclassSets = ["mc_3class_n1500"]
    static let regressionSets = ["reg_better_n800", "reg_small_exact_n40"]
    static let allSets = binarySets + multiclassSets + regressionSets

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/evaluation")

    static func csvURL(_ name: String) -> URL { directory.appendingPathComponent("\(name).csv") }

    static func data(_ name: String) throws -> ComparisonData {
        try ComparisonCSVReader.read(contentsOf: csvURL(name))
    }

    static func binaryData(_ name: String) throws -> BinaryComparisonData {
        guard case .binary(let data) = try data(name) else { throw FixtureError.wrongLayout(name) }
        return data
    }

    static func expected(_ name: String) throws -> JSONValue {
        let bytes = try Data(contentsOf: directory.appendingPathComponent("\(name).expected.json"))
        return try JSONDecoder().decode(JSONValue.self, from: bytes)
    }

    /// Each report is computed once per test process; the bootstraps are the expensive part.
    static func comparison(_ name: String) throws -> ModelComparison {
        try ComparisonCache.shared.comparison(name)
    }
}

enum FixtureError: Error {
    case wrongLayout(String)
}

private final class ComparisonCache: Sendable {
    static let shared = ComparisonCache()
    private let storage = Mutex<[String: ModelComparison]>([:])

    func comparison(_ name: String) throws -> ModelComparison {
        if let cached = storage.withLock({ $0[name] }) { return cached }
        let comparison = try ModelComparison(contentsOf: Fixture.csvURL(name))
        storage.withLock { $0[name] = comparison }
        return comparison
    }
}

/// Any JSON document, to walk the expected files key by key.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    init<Value: Encodable>(encoding value: Value) throws {
        let bytes = try ModelComparison.makeJSONEncoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: bytes)
    }

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// `value[path: "delong.ci95"]`
    subscript(path path: String) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(self)) { value, key in value?[String(key)] }
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var numbers: [Double]? {
        guard case .array(let elements) = self else { return nil }
        let values = elements.compactMap(\.number)
        return values.count == elements.count ? values : nil
    }

    mutating func set(_ value: JSONValue, at path: String) {
        var keys = path.split(separator: ".").map(String.init)
        let first = keys.removeFirst()
        guard case .object(var members) = self else { return }
        if keys.isEmpty {
            members[first] = value
        } else {
            var child = members[first] ?? .object([:])
            child.set(value, at: keys.joined(separator: "."))
            members[first] = child
        }
        self = .object(members)
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .object(let members): "{\(members.keys.sorted().joined(separator: ", "))}"
        }
    }
}

extension JSONValue {
    static func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }
}

/// Section 7's tolerances, by the kind of quantity a key names.
enum Tolerance: Equatable, CustomStringConvertible {
    /// Bit for bit: bootstrap replicates, percentile intervals, index draws, counts.
    case exact
    /// Metrics, AUCs, variances, statistics: 1e-12 absolute.
    case absolute(Double)
    /// p-values: 1e-9 relative, or 1e-15 absolute when the expected value is below 1e-6.
    case pValue
    /// DeLong z: 1e-9 relative.
    case relative(Double)

    static let metric = Tolerance.absolute(1e-12)

    func accepts(expected: Double, actual: Double) -> Bool {
        if expected == actual { return true }
        if expected.isNaN && actual.isNaN { return true }
        let difference = abs(expected - actual)
        switch self {
        case .exact: return false
        case .absolute(let bound): return difference <= bound
        case .relative(let bound): return difference <= bound * abs(expected)
        case .pValue: return difference <= 1e-9 * abs(expected) || (abs(expected) < 1e-6 && difference <= 1e-15)
        }
    }

    var description: String {
        switch self {
        case .exact: "exact"
        case .absolute(let bound): "abs \(bound)"
        case .relative(let bound): "rel \(bound)"
        case .pValue: "p-value (rel 1e-9 | abs 1e-15 below 1e-6)"
        }
    }
}

/// One numeric comparison, kept so a summary can report the worst error per quantity.
struct NumericComparison {
    var path: String
    var expected: Double
    var actual: Double
    var tolerance: Tolerance
    var passed: Bool
}

/// Walks an expected JSON tree and compares every leaf with the same path in the actual report.
struct ParityWalker {
    /// Keys whose text describes the reference run rather than a quantity.
    static let descriptiveKeys: Set<String> = [
        "description", "reference_versions", "options", "squared_error_difference", "reference_warnings",
        "pROC", "max_abs_diff_vs_this_file", "result",
    ]
    /// Free-text keys whose presence matters (the same situation is flagged) but not their wording.
    static let presenceOnlyKeys: Set<String> = ["edge_case", "reason", "note", "roc_auc_error"]
    static let pValueKeys: Set<String> = [
        "pvalue", "p_normal_two_sided", "binomtest_two_sided_pvalue", "exact_pvalue_exact_integer_sum",
    ]

    /// Paths (or path prefixes) where this implementation deliberately differs from the raw reference output,
    /// each checked by its own edge-case test instead.
    var documentedDeviations: [String: String] = [:]
    private(set) var comparisons: [NumericComparison] = []
    private(set) var failures: [String] = []
    /// Every leaf looked at, numeric or not (a `defined: false` or a null is a check too).
    private(set) var checkedLeafCount = 0

    mutating func compare(expected: JSONValue, actual: JSONValue?, path: String) {
        let key = path.split(separator: ".").last.map(String.init) ?? path
        if Self.descriptiveKeys.contains(key) { return }
        if documentedDeviations.keys.contains(where: { path == $0 || path.hasPrefix($0 + ".") }) { return }
        switch expected {
        case .object(let members):
            guard case .object = actual else {
                failures.append("\(path): expected an object, found \(actual?.description ?? "nothing")")
                return
            }
            for (memberKey, member) in members {
                compare(expected: member, actual: actual?[memberKey], path: path.isEmpty ? memberKey : "\(path).\(memberKey)")
            }
        case .array(let elements):
            guard case .array(let actualElements) = actual, actualElements.count == elements.count else {
                failures.append("\(path): expected \(expected), found \(actual?.description ?? "nothing")")
                return
            }
            for (index, element) in elements.enumerated() {
                compare(expected: element, actual: actualElements[index], path: "\(path).\(index)")
            }
        case .null:
            checkedLeafCount += 1
            if let actual, actual != .null {
                failures.append("\(path): expected null (undefined), found \(actual)")
            }
        case .bool(let value):
            checkedLeafCount += 1
            if actual != .bool(value) { failures.append("\(path): expected \(value), found \(actual?.description ?? "nothing")") }
        case .string(let text):
            checkedLeafCount += 1
            compareText(text, actual: actual, key: key, path: path)
        case .number(let value):
            guard let actualValue = actual?.number else {
                failures.append("\(path): expected \(value), found \(actual?.description ?? "nothing")")
                return
            }
            checkedLeafCount += 1
            let tolerance = Self.tolerance(for: path, key: key)
            let passed = tolerance.accepts(expected: value, actual: actualValue)
            comparisons.append(NumericComparison(path: path, expected: value, actual: actualValue, tolerance: tolerance, passed: passed))
            if !passed {
                failures.append("\(path): expected \(value), found \(actualValue) (tolerance \(tolerance))")
            }
        }
    }

    private mutating func compareText(_ text: String, actual: JSONValue?, key: String, path: String) {
        guard case .string(let actualText) = actual else {
            failures.append("\(path): expected text \"\(text)\", found \(actual?.description ?? "nothing")")
            return
        }
        if Self.presenceOnlyKeys.contains(key) { return }
        if key == "method_chosen_by_auto" {
            // The reference explains its choice in words of its own; the method is the first word.
            if text.split(separator: " ").first != actualText.split(separator: " ").first {
                failures.append("\(path): expected method \"\(text)\", found \"\(actualText)\"")
            }
            return
        }
        if text != actualText { failures.append("\(path): expected \"\(text)\", found \"\(actualText)\"") }
    }

    static func tolerance(for path: String, key: String) -> Tolerance {
        if path.hasPrefix("bootstrap.") {
            // replicate_mean is numpy's pairwise mean, reproduced in NumPy.mean, so it is held exact too.
            return .exact
        }
        if pValueKeys.contains(key) { return .pValue }
        if key == "z" { return .relative(1e-9) }
        return .metric
    }
}
