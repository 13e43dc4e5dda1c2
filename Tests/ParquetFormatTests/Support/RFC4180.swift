/// A strict RFC 4180 tokenizer for comparing CSV output field by field. It keeps whether a
/// field was quoted, because in the fixture format an unquoted empty field is null and `""`
/// is the empty string.
enum RFC4180 {
    enum Field: Equatable, CustomStringConvertible {
        case unquoted(String)
        case quoted(String)

        var description: String {
            switch self {
            case let .unquoted(text): text.isEmpty ? "<null>" : text
            case let .quoted(text): "\"\(text)\""
            }
        }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ bytes: [UInt8]) throws -> [[Field]] {
        var rows: [[Field]] = []
        var row: [Field] = []
        var index = 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(0x0A)
        while index < bytes.count {
            var field: Field
            if bytes[index] == quote {
                var text: [UInt8] = []
                index += 1
                while true {
                    guard index < bytes.count else { throw SyntaxError(description: "unterminated quoted field in row \(rows.count + 1)") }
                    if bytes[index] == quote {
                        if index + 1 < bytes.count && bytes[index + 1] == quote {
                            text.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    text.append(bytes[index])
                    index += 1
                }
                field = .quoted(String(decoding: text, as: UTF8.self))
            } else {
                var text: [UInt8] = []
                while index < bytes.count && bytes[index] != comma && bytes[index] != newline {
                    guard bytes[index] != quote else { throw SyntaxError(description: "quote inside an unquoted field in row \(rows.count + 1)") }
                    text.append(bytes[index])
                    index += 1
                }
                field = .unquoted(String(decoding: text, as: UTF8.self))
            }
            row.append(field)
            guard index < bytes.count else { break }
            if bytes[index] == comma {
                index += 1
                if index == bytes.count { row.append(.unquoted("")) }
            } else if bytes[index] == newline {
                rows.append(row)
                row = []
                index += 1
            } else {
                throw SyntaxError(description: "unexpected byte after a quoted field in row \(rows.count + 1)")
            }
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}
