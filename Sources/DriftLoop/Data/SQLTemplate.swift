import Foundation

/// Turns a query with `{{name}}` markers into PostgreSQL's `$1, $2, ...` placeholders and the bound values, so no
/// value is ever pasted into SQL text. A marker must be `{{` + letters, digits or `_` + `}}`.
package enum SQLTemplate {
    package static func parameterNames(in query: String) -> [String] {
        var names: [String] = []
        for name in Self.markers(in: query).map(\.name) where !names.contains(name) { names.append(name) }
        return names
    }

    /// The query with placeholders, and for each placeholder number the name whose value it binds.
    package static func compile(_ query: String) -> (text: String, bindings: [String]) {
        var text = ""
        var bindings: [String] = []
        var position = query.startIndex
        for marker in Self.markers(in: query) {
            text += query[position..<marker.range.lowerBound]
            if let index = bindings.firstIndex(of: marker.name) {
                text += "$\(index + 1)"
            } else {
                bindings.append(marker.name)
                text += "$\(bindings.count)"
            }
            position = marker.range.upperBound
        }
        text += query[position...]
        return (text, bindings)
    }

    private static func markers(in query: String) -> [(name: String, range: Range<String.Index>)] {
        var found: [(String, Range<String.Index>)] = []
        var search = query.startIndex
        while let open = query.range(of: "{{", range: search..<query.endIndex) {
            guard let close = query.range(of: "}}", range: open.upperBound..<query.endIndex) else { break }
            let name = String(query[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                found.append((name, open.lowerBound..<close.upperBound))
                search = close.upperBound
            } else {
                search = open.upperBound
            }
        }
        return found
    }
}
