import DriftLoop

/// What the server answers is printed to a terminal: reasons, actors and errors come from requests and trainers, so
/// their control characters are escaped first. A reason with ESC sequences or CR could otherwise clear the screen or
/// overwrite table rows.
extension JSONValue {
    func escapingControlCharacters() -> JSONValue {
        switch self {
        case .string(let text): .string(LogText.escape(text))
        case .array(let items): .array(items.map { $0.escapingControlCharacters() })
        case .object(let members):
            .object(Dictionary(uniqueKeysWithValues: members.map { (LogText.escape($0.key), $0.value.escapingControlCharacters()) }))
        case .null, .bool, .number: self
        }
    }
}
