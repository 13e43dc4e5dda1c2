/// "did you mean `await_training`?": the closest of the names a file could have used, for a misspelled one.
package enum NameSuggestion {
    /// The candidate nearest to `name` in edit distance (insertions, deletions, substitutions and swaps of
    /// neighbours, case ignored), if it is near enough to be a typo: at most a third of the name's length, and 3.
    package static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        let typed = Array(name.lowercased())
        let limit = min(3, max(1, typed.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = Self.distance(typed, Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// " (did you mean `x`?)" or "", to append to a message.
    package static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        Self.closest(to: name, among: candidates).map { " (did you mean `\($0)`?)" } ?? ""
    }

    /// Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
