import Foundation

/// Rows of a CSV file as strings, for the built-in trainer, which needs whole rows to split and encode.
struct TrainingTable {
    var header: [String]
    var rows: [[String]]

    static func load(path: String) throws -> TrainingTable {
        let location = path.hasPrefix("file://") ? (URL(string: path)?.path ?? path) : path
        guard let data = FileManager.default.contents(atPath: location) else {
            throw TrainerError("cannot read training data at \(path)", isTransient: false)
        }
        return try Self.parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// RFC 4180: fields separated by commas, optionally quoted, `""` for a quote inside quotes.
    static func parse(_ text: String, source: String) throws -> TrainingTable {
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if inQuotes {
                if scalar == "\"" {
                    let following = iterator.next()
                    if following == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = following }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case ",": record.append(field); field = ""
            case "\r": continue
            case "\n":
                record.append(field)
                field = ""
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
            default: field.unicodeScalars.append(scalar)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { throw TrainerError("\(source) is empty; it needs a header row", isTransient: false) }
        let rows = Array(records.dropFirst())
        for (index, row) in rows.enumerated() where row.count != header.count {
            throw TrainerError("\(source) row \(index + 2) has \(row.count) fields, the header has \(header.count)", isTransient: false)
        }
        return TrainingTable(header: header, rows: rows)
    }

    func column(named name: String) -> Int? { self.header.firstIndex(of: name) }
}
