import DriftStats

/// Builds a drift column from typed values one row at a time (a query's rows, the features of feedback records),
/// typed as pandas would type the same values and Evidently would then treat them: whole numbers stay integers
/// until a missing value or a fraction makes them floats; booleans are categorical unless one is missing (pandas
/// then holds them as objects, which Evidently leaves out); text is text. A whole column of a type Evidently leaves
/// out (dates, timestamps, decimals) is declared excluded with its reason.
package struct TypedColumnBuilder: Sendable {
    package enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case double(Double)
        case bool(Bool)
        case text(String)
    }

    package let name: String
    let forced: ForcedColumnType?
    private var numbers: [Double] = []
    private var texts: [String?] = []
    private var sawNull = false
    private var sawFraction = false
    private var sawBool = false
    private var sawText = false
    private var sawNumber = false
    private var exclusion: String?

    package init(name: String, forced: ForcedColumnType? = nil) {
        self.name = name
        self.forced = forced
    }

    package var count: Int { self.texts.count }

    /// Marks the column as a type pandas gives Evidently as neither number nor text; it is left out unless forced.
    package mutating func exclude(reason: String) {
        self.exclusion = reason
    }

    package mutating func append(_ value: Value) {
        switch value {
        case .null:
            self.sawNull = true
            self.numbers.append(.nan)
            self.texts.append(nil)
        case .integer(let integer):
            self.sawNumber = true
            self.numbers.append(Double(integer))
            self.texts.append(String(integer))
        case .double(let double):
            self.sawNumber = true
            self.sawFraction = true
            self.numbers.append(double)
            self.texts.append(double.isNaN ? nil : String(double))
            if double.isNaN { self.sawNull = true }
        case .bool(let flag):
            self.sawBool = true
            self.numbers.append(flag ? 1 : 0)
            self.texts.append(flag ? "True" : "False")
        case .text(let text):
            self.sawText = true
            self.numbers.append(Double(text) ?? .nan)
            self.texts.append(text)
        }
    }

    package enum Built: Sendable {
        case column(TableColumn)
        case excluded(ExcludedColumn)
    }

    package func build() -> Built {
        switch self.forced {
        case .numerical?: return .column(TableColumn(name: self.name, storage: .float, values: .numbers(self.numbers)))
        case .categorical?: return .column(self.textColumn(storage: .string))
        case .ignored?, nil: break
        }
        if let exclusion = self.exclusion { return .excluded(ExcludedColumn(column: self.name, reason: exclusion)) }
        if !self.sawText, !self.sawBool, !self.sawNumber, !self.texts.isEmpty {
            return .excluded(
                ExcludedColumn(column: self.name, reason: "no values (an all-null column pandas holds as objects, which Evidently leaves out)"))
        }
        if self.sawText { return .column(self.textColumn(storage: .string)) }
        if self.sawBool && !self.sawNumber {
            guard !self.sawNull else {
                return .excluded(
                    ExcludedColumn(
                        column: self.name,
                        reason: "boolean with missing values (pandas object dtype, which Evidently leaves out); force `cat` in a schema to test it"))
            }
            return .column(self.textColumn(storage: .boolean))
        }
        let storage: StorageType = self.sawNull || self.sawFraction ? .float : .integer
        return .column(TableColumn(name: self.name, storage: storage, values: .numbers(self.numbers)))
    }

    private func textColumn(storage: StorageType) -> TableColumn {
        var levels: [String] = []
        var index: [String: Int32] = [:]
        var codes: [Int32] = []
        codes.reserveCapacity(self.texts.count)
        for text in self.texts {
            guard let text else {
                codes.append(-1)
                continue
            }
            if let code = index[text] {
                codes.append(code)
            } else {
                let code = Int32(levels.count)
                levels.append(text)
                index[text] = code
                codes.append(code)
            }
        }
        return TableColumn(name: self.name, storage: storage, values: .codes(codes, levels: levels))
    }
}
