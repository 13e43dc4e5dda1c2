import Foundation
import Yams

/// A YAML node with its position, read field by field so that every error names file, line and column.
///
/// Codable decoding loses positions, so configuration and pipelines are read through this instead.
struct YAMLNode {
    let node: Node?
    let file: String
    /// Where this node is, or where its key was when the value is missing.
    let location: SourceLocation
    /// Dotted path from the document root, such as `states.train.timeout`.
    let path: String

    static func parse(_ text: String, file: String) throws(DiagnosticsError) -> YAMLNode {
        do {
            let node = try Yams.compose(yaml: text)
            return YAMLNode(node: node, file: file, location: SourceLocation(file: file, line: 1, column: 1), path: "")
        } catch let error as YamlError {
            throw DiagnosticsError([Self.diagnostic(for: error, file: file)])
        } catch {
            throw DiagnosticsError([Diagnostic(SourceLocation(file: file, line: 1, column: 1), "not valid YAML: \(error)")])
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return Diagnostic(SourceLocation(file: file, line: mark.line, column: mark.column), "not valid YAML: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let mark = context.mark
            return Diagnostic(
                SourceLocation(file: file, line: mark.line, column: mark.column),
                "duplicate key(s) \(duplicates.joined(separator: ", ")): each key may appear once")
        default:
            return Diagnostic(SourceLocation(file: file, line: 1, column: 1), "not valid YAML: \(error)")
        }
    }

    var isMissing: Bool {
        guard let node else { return true }
        if case .scalar(let scalar) = node, scalar.tag.description == Tag.Name.null.rawValue || (scalar.string.isEmpty && scalar.style == .plain) {
            return true
        }
        return false
    }

    func child(_ key: String) -> YAMLNode {
        let childPath = self.path.isEmpty ? key : "\(self.path).\(key)"
        guard case .mapping(let mapping)? = self.node else {
            return YAMLNode(node: nil, file: self.file, location: self.location, path: childPath)
        }
        for (keyNode, valueNode) in mapping where keyNode.string == key {
            let mark = valueNode.mark ?? keyNode.mark
            let location = mark.map { SourceLocation(file: self.file, line: $0.line, column: $0.column) } ?? self.location
            return YAMLNode(node: valueNode, file: self.file, location: location, path: childPath)
        }
        return YAMLNode(node: nil, file: self.file, location: self.location, path: childPath)
    }

    /// Entries of a mapping, in file order, with each key's own location.
    func entries() -> [(key: String, keyLocation: SourceLocation, value: YAMLNode)] {
        guard case .mapping(let mapping)? = self.node else { return [] }
        return mapping.map { keyNode, valueNode in
            let key = keyNode.string ?? ""
            let keyLocation = keyNode.mark.map { SourceLocation(file: self.file, line: $0.line, column: $0.column) } ?? self.location
            let valueLocation = valueNode.mark.map { SourceLocation(file: self.file, line: $0.line, column: $0.column) } ?? keyLocation
            let childPath = self.path.isEmpty ? key : "\(self.path).\(key)"
            return (key, keyLocation, YAMLNode(node: valueNode, file: self.file, location: valueLocation, path: childPath))
        }
    }

    func elements() -> [YAMLNode] {
        guard case .sequence(let sequence)? = self.node else { return [] }
        return sequence.enumerated().map { index, element in
            let location = element.mark.map { SourceLocation(file: self.file, line: $0.line, column: $0.column) } ?? self.location
            return YAMLNode(node: element, file: self.file, location: location, path: "\(self.path)[\(index)]")
        }
    }

    var isMapping: Bool { if case .mapping? = self.node { true } else { false } }
    var isSequence: Bool { if case .sequence? = self.node { true } else { false } }
    var scalarText: String? { if case .scalar(let scalar)? = self.node { scalar.string } else { nil } }
}

/// Reads typed values out of `YAMLNode`s, collecting a diagnostic for each bad one instead of stopping.
struct YAMLReader {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func fail(_ node: YAMLNode, _ message: String) {
        self.diagnostics.append(Diagnostic(node.location, message))
    }

    mutating func string(_ node: YAMLNode, default value: String? = nil, required: Bool = false) -> String? {
        if node.isMissing {
            if required { self.fail(node, "`\(node.path)` is required") }
            return value
        }
        guard let text = node.scalarText else {
            self.fail(node, "`\(node.path)` must be a string")
            return value
        }
        return text
    }

    mutating func double(_ node: YAMLNode, default value: Double, range: ClosedRange<Double>? = nil) -> Double {
        if node.isMissing { return value }
        guard let text = node.scalarText, let number = Double(text), number.isFinite else {
            self.fail(node, "`\(node.path)` must be a number, for example \(value)")
            return value
        }
        if let range, !range.contains(number) {
            self.fail(node, "`\(node.path)` must be between \(range.lowerBound) and \(range.upperBound), got \(text)")
            return value
        }
        return number
    }

    mutating func int(_ node: YAMLNode, default value: Int, range: ClosedRange<Int>? = nil) -> Int {
        if node.isMissing { return value }
        guard let text = node.scalarText, let number = Int(text) else {
            self.fail(node, "`\(node.path)` must be a whole number, for example \(value)")
            return value
        }
        if let range, !range.contains(number) {
            self.fail(node, "`\(node.path)` must be between \(range.lowerBound) and \(range.upperBound), got \(text)")
            return value
        }
        return number
    }

    mutating func bool(_ node: YAMLNode, default value: Bool) -> Bool {
        if node.isMissing { return value }
        switch node.scalarText?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            self.fail(node, "`\(node.path)` must be true or false")
            return value
        }
    }

    mutating func duration(_ node: YAMLNode, default value: Duration?) -> Duration? {
        if node.isMissing { return value }
        guard let text = node.scalarText, let duration = DurationText.parse(text) else {
            self.fail(node, "`\(node.path)` must be \(DurationText.expectedForm)")
            return value
        }
        return duration
    }

    mutating func stringList(_ node: YAMLNode) -> [String]? {
        if node.isMissing { return nil }
        if let text = node.scalarText { return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard node.isSequence else {
            self.fail(node, "`\(node.path)` must be a list of strings")
            return nil
        }
        return node.elements().compactMap { self.string($0) }
    }

    mutating func stringMap(_ node: YAMLNode) -> [String: String] {
        if node.isMissing { return [:] }
        guard node.isMapping else {
            self.fail(node, "`\(node.path)` must be a mapping of names to strings")
            return [:]
        }
        var result: [String: String] = [:]
        for entry in node.entries() { result[entry.key] = self.string(entry.value) }
        return result
    }

    /// Reports keys that this version does not know, which are usually typos.
    mutating func rejectUnknownKeys(_ node: YAMLNode, allowed: Set<String>) {
        for entry in node.entries() where !allowed.contains(entry.key) {
            let path = node.path.isEmpty ? entry.key : "\(node.path).\(entry.key)"
            self.diagnostics.append(
                Diagnostic(
                    entry.keyLocation,
                    "unknown key `\(path)`\(NameSuggestion.hint(for: entry.key, among: allowed)); expected one of: \(allowed.sorted().joined(separator: ", "))"
                ))
        }
    }

    mutating func requireMapping(_ node: YAMLNode, example: String) -> Bool {
        if node.isMissing || node.isMapping { return true }
        self.fail(node, "`\(node.path.isEmpty ? "document" : node.path)` must be a mapping, for example `\(example)`")
        return false
    }
}
