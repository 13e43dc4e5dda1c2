extension StringProtocol {
    /// The text without leading and trailing whitespace (Foundation-free, for Substrings too).
    var trimmingWhitespace: String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
