import Foundation

/// Turns CSV rows into numeric feature vectors: numeric columns standardised (missing → mean),
/// text columns one-hot encoded over the values seen in training (unseen → all zeros).
struct FeatureEncoder: Codable, Sendable {
    enum Column: Codable, Sendable {
        case numeric(name: String, mean: Double, scale: Double)
        case categorical(name: String, levels: [String])
    }

    var columns: [Column]

    var width: Int {
        self.columns.reduce(0) { total, column in
            switch column {
            case .numeric: total + 1
            case .categorical(_, let levels): total + levels.count
            }
        }
    }

    static func fit(table: TrainingTable, rows: [Int], features: [String]) -> FeatureEncoder {
        var columns: [Column] = []
        for name in features {
            guard let index = table.column(named: name) else { continue }
            let values = rows.map { table.rows[$0][index] }
            let numbers = values.compactMap { Double($0) }
            let present = values.filter { !$0.isEmpty }
            if !present.isEmpty, numbers.count == present.count {
                let mean = numbers.reduce(0, +) / Double(numbers.count)
                let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, numbers.count - 1))
                columns.append(.numeric(name: name, mean: mean, scale: variance > 0 ? variance.squareRoot() : 1))
            } else {
                let levels = Array(Set(present)).sorted()
                columns.append(.categorical(name: name, levels: Array(levels.prefix(50))))
            }
        }
        return FeatureEncoder(columns: columns)
    }

    func encode(row: [String], header: [String]) -> [Double] {
        var vector: [Double] = []
        vector.reserveCapacity(self.width)
        for column in self.columns {
            switch column {
            case .numeric(let name, let mean, let scale):
                let text = header.firstIndex(of: name).map { row[$0] } ?? ""
                vector.append(((Double(text) ?? mean) - mean) / scale)
            case .categorical(let name, let levels):
                let text = header.firstIndex(of: name).map { row[$0] } ?? ""
                for level in levels { vector.append(level == text ? 1 : 0) }
            }
        }
        return vector
    }
}
