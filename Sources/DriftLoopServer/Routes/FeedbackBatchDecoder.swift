import DriftLoop
import Foundation

/// Decodes a feedback batch: a JSON array of records, or JSON lines (one record per line). Every record is checked
/// before any is stored, so a bad record rejects the whole batch with the field named (`records[3].id`, or
/// `line 4: id` for JSON lines) and nothing half-written.
enum FeedbackBatchDecoder {
    /// One record as sent. Ids and labels may be numbers or strings; timestamps epoch seconds or ISO 8601.
    struct Payload: Decodable {
        var id: String
        var timestamp: Date?
        var prediction: String?
        var score: Double?
        var label: String?
        var features: JSONValue?

        enum CodingKeys: String, CodingKey { case id, timestamp, prediction, score, label, features }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.id =
                try Self.scalarText(container, .id)
                ?? {
                    throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: container.codingPath, debugDescription: "id is required"))
                }()
            guard !self.id.isEmpty else {
                throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath + [CodingKeys.id], debugDescription: "must not be empty"))
            }
            self.prediction = try Self.scalarText(container, .prediction)
            self.label = try Self.scalarText(container, .label)
            self.score = try container.decodeIfPresent(Double.self, forKey: .score)
            if let score = self.score, !(0...1).contains(score) {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: container.codingPath + [CodingKeys.score], debugDescription: "must be a probability in [0, 1]"))
            }
            self.features = try container.decodeIfPresent(JSONValue.self, forKey: .features)
            if let seconds = try? container.decodeIfPresent(Double.self, forKey: .timestamp) {
                self.timestamp = Date(timeIntervalSince1970: seconds)
            } else if let text = try? container.decodeIfPresent(String.self, forKey: .timestamp) {
                guard let date = Self.parseDate(text) else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: container.codingPath + [CodingKeys.timestamp],
                            debugDescription: "must be epoch seconds or an ISO 8601 date-time"))
                }
                self.timestamp = date
            }
            if self.prediction == nil && self.label == nil {
                throw DecodingError.keyNotFound(
                    CodingKeys.prediction, .init(codingPath: container.codingPath, debugDescription: "a record needs a prediction, a label, or both"))
            }
        }

        private static func scalarText(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            if let text = try? container.decode(String.self, forKey: key) { return text }
            if let flag = try? container.decode(Bool.self, forKey: key) { return flag ? "true" : "false" }
            if let number = try? container.decode(Double.self, forKey: key) {
                return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            }
            throw DecodingError.typeMismatch(
                String.self, .init(codingPath: container.codingPath + [key], debugDescription: "must be a string or a number"))
        }

        private static func parseDate(_ text: String) -> Date? {
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text)
        }

        var record: FeedbackRecord {
            FeedbackRecord(
                id: self.id, timestamp: self.timestamp, prediction: self.prediction, score: self.score, label: self.label, features: self.features)
        }
    }

    static func decode(_ data: Data) throws -> [FeedbackRecord] {
        let firstByte = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        guard let firstByte else {
            throw APIError.badRequest("the body is empty; send a JSON array of feedback records or JSON lines", field: "body")
        }
        let decoder = JSONDecoder()
        if firstByte == UInt8(ascii: "[") {
            do {
                return try decoder.decode([Payload].self, from: data).map(\.record)
            } catch let error as DecodingError {
                let apiError = RequestBodyDecoder.apiError(for: error)
                let field = apiError.field.map { $0 == "body" ? $0 : "records\($0)" }
                throw APIError.badRequest(apiError.message.replacingOccurrences(of: "`[", with: "`records["), field: field)
            }
        }
        var records: [FeedbackRecord] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { !($0 == 0x20 || $0 == 0x0D || $0 == 0x09) }) else { continue }
            do {
                records.append(try decoder.decode(Payload.self, from: Data(line)).record)
            } catch let error as DecodingError {
                let apiError = RequestBodyDecoder.apiError(for: error)
                throw APIError.badRequest("line \(index + 1): \(apiError.message)", field: "line \(index + 1): \(apiError.field ?? "body")")
            }
        }
        return records
    }
}
