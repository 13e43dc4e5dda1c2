/// A column that was numbers until one value that is not a number made it text. pandas (and so Evidently) types the
/// whole column as text then, which takes it out of the numeric tests, and a typo in one cell can move the dataset
/// verdict without a word. The typing is kept, to give Evidently's verdicts; the report says which value did it.
package struct ColumnTypingWarning: Sendable, Codable, Equatable, CustomStringConvertible {
    package var column: String
    /// The file, URL or prefix the value came from.
    package var source: String
    /// The 1-based line of the value in the source (the header is line 1).
    package var line: Int
    /// The value, as read (at most 60 characters).
    package var value: String
    /// How many values before it were numbers or missing markers.
    package var numbersBefore: Int

    package init(column: String, source: String, line: Int, value: String, numbersBefore: Int) {
        self.column = column
        self.source = source
        self.line = line
        self.value = value
        self.numbersBefore = numbersBefore
    }

    enum CodingKeys: String, CodingKey {
        case column, source, line, value, message
        case numbersBefore = "numbers_before"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.column = try container.decode(String.self, forKey: .column)
        self.source = try container.decode(String.self, forKey: .source)
        self.line = try container.decode(Int.self, forKey: .line)
        self.value = try container.decode(String.self, forKey: .value)
        self.numbersBefore = try container.decode(Int.self, forKey: .numbersBefore)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.column, forKey: .column)
        try container.encode(self.source, forKey: .source)
        try container.encode(self.line, forKey: .line)
        try container.encode(self.value, forKey: .value)
        try container.encode(self.numbersBefore, forKey: .numbersBefore)
        try container.encode(self.description, forKey: .message)
    }

    /// What happened and what to do, in one sentence.
    package var description: String {
        "column `\(self.column)` is text, not numbers, because of `\(self.value)` on line \(self.line) of \(self.source) "
            + "(the \(self.numbersBefore) values before it are numbers); text columns are not tested for drift. "
            + "Fix or empty that value, or declare the column numerical in the schema to have it refused by name"
    }
}
