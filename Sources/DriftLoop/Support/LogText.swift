/// Text from requests, files and trainers made safe to print on one line: control characters are written as
/// escapes, so a newline cannot forge a log line or a table row and an ESC sequence cannot clear a terminal.
package enum LogText {
    /// `\n`, `\r` and `\t` as themselves escaped, every other control character (C0, DEL, C1) and the Unicode
    /// line, paragraph and bidirectional-override characters as `\u{XX}`. Text without any is returned unchanged.
    package static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Self.needsEscape) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard Self.needsEscape(scalar) else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return escaped
    }

    /// Whether `escape` would change the text.
    package static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: Self.needsEscape)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Line and paragraph separators end a line in some viewers; bidirectional overrides reorder what is shown.
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
