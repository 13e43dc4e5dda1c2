/// Evidently 0.7's column typing (`infer_column_type`), applied to the current dataset as its report does:
/// floats are numerical; integers are categorical with at most 10 distinct values, else numerical; booleans are
/// categorical; text is categorical unless more than half its values are distinct (then it is free text).
package enum ColumnTyping {
    static let integerCardinalityLimit = 10

    package static func type(of column: TableColumn, forced: ForcedColumnType? = nil) -> DriftColumnType? {
        switch forced {
        case .numerical: return .numerical
        case .categorical: return .categorical
        case .ignored: return nil
        case nil: break
        }
        switch column.storage {
        case .float:
            return .numerical
        case .integer:
            guard case .numbers(let values) = column.values else { return .numerical }
            let distinct = DriftSample(numbers: values).distinctCount(upTo: Self.integerCardinalityLimit + 1)
            return distinct <= Self.integerCardinalityLimit ? .categorical : .numerical
        case .boolean, .category:
            return .categorical
        case .string:
            guard case .codes(let codes, let levels) = column.values else { return .categorical }
            // Levels hold exactly the distinct present values.
            let present = codes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
            return Double(levels.count) > 0.5 * Double(present) ? .text : .categorical
        }
    }
}
