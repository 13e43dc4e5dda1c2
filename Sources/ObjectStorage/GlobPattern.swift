/// A shell-style pattern over S3 keys: `*` (any run of characters), `?` (one character), `[abc]`, `[a-z]`,
/// `[!a-z]` or `[^a-z]` (one character in or not in the set), and `\` to take the next character literally.
///
/// As in a shell, no wildcard matches `/`: `logs/*/part-*.parquet` reaches exactly one level below `logs/`.
/// A pattern therefore matches a key only when both have the same number of `/`-separated segments, which is
/// how matching works here: segment by segment.
package struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    package let text: String
    /// The literal text before the first wildcard: the prefix to list.
    package let literalPrefix: String
    /// True when the pattern has at least one wildcard.
    package let hasWildcards: Bool
    private let segments: [[Token]]

    enum Token: Hashable {
        case literal(Character)
        case anyOne
        case anyRun
        case set(ranges: [ClosedRange<Character>], negated: Bool)
    }

    /// The characters that make a key a pattern.
    static let wildcardCharacters: Set<Character> = ["*", "?", "["]

    /// Parses `text`; throws a description of the problem (the caller adds which location it was).
    init(parsing text: String) throws(GlobSyntaxError) {
        self.text = text
        var segments: [[Token]] = [[]]
        var literalPrefix = ""
        var sawWildcard = false
        var characters = text.makeIterator()
        func append(_ token: Token) {
            segments[segments.count - 1].append(token)
            if case .literal(let character) = token, !sawWildcard { literalPrefix.append(character) }
            if case .literal = token {} else { sawWildcard = true }
        }
        while let character = characters.next() {
            switch character {
            case "\\":
                guard let escaped = characters.next() else { throw GlobSyntaxError(problem: "the pattern ends with a lone '\\'") }
                if escaped == "/" { throw GlobSyntaxError(problem: "'\\/' is not allowed: write '/'") }
                append(.literal(escaped))
            case "/":
                if !sawWildcard { literalPrefix.append("/") }
                segments.append([])
            case "*":
                // "**" means nothing more than "*" here; collapse so matching stays linear.
                if case .anyRun? = segments[segments.count - 1].last { continue }
                append(.anyRun)
            case "?":
                append(.anyOne)
            case "[":
                append(try Self.parseSet(&characters))
            default:
                append(.literal(character))
            }
        }
        self.segments = segments
        self.literalPrefix = literalPrefix
        self.hasWildcards = sawWildcard
    }

    private static func parseSet(_ characters: inout String.Iterator) throws(GlobSyntaxError) -> Token {
        var ranges: [ClosedRange<Character>] = []
        var negated = false
        var first = true
        var pending: Character?
        var pendingDash = false
        func flush() {
            if let pending { ranges.append(pending...pending) }
            if pendingDash { ranges.append("-"..."-") }
            pending = nil
            pendingDash = false
        }
        while var character = characters.next() {
            if first && (character == "!" || character == "^") {
                negated = true
                first = false
                continue
            }
            // "]" right after "[" or "[!" is a member, as in a shell.
            if character == "]" && !(first && ranges.isEmpty && pending == nil) {
                flush()
                guard !ranges.isEmpty else { throw GlobSyntaxError(problem: "an empty set '[]'") }
                return .set(ranges: ranges, negated: negated)
            }
            first = false
            if character == "/" { throw GlobSyntaxError(problem: "'/' cannot be inside [...]: sets match one character within a segment") }
            if character == "\\" {
                guard let escaped = characters.next() else { throw GlobSyntaxError(problem: "the pattern ends inside [...]") }
                character = escaped
            }
            if pendingDash, let start = pending {
                guard start <= character else { throw GlobSyntaxError(problem: "the range \(start)-\(character) in [...] is reversed") }
                ranges.append(start...character)
                pending = nil
                pendingDash = false
            } else if character == "-" && pending != nil {
                pendingDash = true
            } else {
                if let pending { ranges.append(pending...pending) }
                pending = character
            }
        }
        throw GlobSyntaxError(problem: "a '[' without its closing ']'")
    }

    /// Whether `key` matches the whole pattern.
    package func matches(_ key: String) -> Bool {
        let keySegments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard keySegments.count == self.segments.count else { return false }
        return zip(self.segments, keySegments).allSatisfy { Self.match(pattern: $0, text: Array($1)) }
    }

    /// Wildcard matching within one segment: greedy, backtracking only to the last `*`, so O(n·m) at worst.
    private static func match(pattern: [Token], text: [Character]) -> Bool {
        var p = 0
        var t = 0
        var starPattern = -1
        var starText = 0
        while t < text.count {
            if p < pattern.count, pattern[p] != .anyRun, Self.token(pattern[p], matches: text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == .anyRun {
                starPattern = p
                starText = t
                p += 1
            } else if starPattern >= 0 {
                p = starPattern + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == .anyRun { p += 1 }
        return p == pattern.count
    }

    private static func token(_ token: Token, matches character: Character) -> Bool {
        switch token {
        case .literal(let literal): literal == character
        case .anyOne: true
        case .anyRun: true
        case .set(let ranges, let negated): ranges.contains { $0.contains(character) } != negated
        }
    }

    package var description: String { self.text }
}

/// Why a glob pattern could not be parsed.
struct GlobSyntaxError: Error {
    let problem: String
}
