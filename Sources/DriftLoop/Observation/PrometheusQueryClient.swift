import CurlHTTP
import Foundation

/// Instant queries against Prometheus' HTTP API (`GET /api/v1/query`), through the libcurl client.
struct PrometheusQueryClient: Sendable {
    let baseURL: String
    let token: String?
    let client: CurlHTTPClient

    private struct Answer: Decodable {
        struct Body: Decodable {
            struct Sample: Decodable {
                var metric: [String: String]?
                /// `[unix seconds, "value"]`.
                var value: [Value]
            }
            var resultType: String
            var result: Value
        }
        var status: String
        var data: Body?
        var error: String?
    }

    /// Prometheus mixes numbers and strings in one array (`[1700000000.1, "0.5"]`), and `result` is an array of
    /// samples for vectors but a bare `[time, value]` pair for scalars.
    private enum Value: Decodable {
        case number(Double)
        case text(String)
        case samples([Answer.Body.Sample])
        case pair([Value])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .text(text)
            } else if let samples = try? container.decode([Answer.Body.Sample].self) {
                self = .samples(samples)
            } else {
                self = .pair(try container.decode([Value].self))
            }
        }

        var number: Double? {
            switch self {
            case .number(let value): value
            case .text(let text): Double(text) ?? (text == "NaN" ? .nan : text == "+Inf" ? .infinity : text == "-Inf" ? -.infinity : nil)
            default: nil
            }
        }
    }

    struct QueryError: Error, CustomStringConvertible {
        var message: String
        var isTransient: Bool
        var description: String { self.message }
    }

    /// The query's sample values (one per series; one for a scalar). Empty when no series matched.
    func values(_ query: String) async throws -> [Double] {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let url = self.baseURL + "/api/v1/query?query=" + (query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query)
        let response: HTTPResponse
        do {
            response = try await self.client.send(
                HTTPRequest(url: url, timeout: .seconds(15), authentication: self.token.map { .bearer(token: $0) } ?? .none))
        } catch let error as CurlError {
            throw QueryError(message: "Prometheus at \(self.baseURL) \(error.whatThePeerDid): \(error.message)", isTransient: error.isTransient)
        }
        let answer = try? response.decode(Answer.self)
        guard response.status == 200, let answer, answer.status == "success", let data = answer.data else {
            let detail = answer?.error ?? String(response.text.prefix(200))
            // 400 and 422 are a bad query: retrying will not fix it.
            throw QueryError(
                message: "Prometheus rejected `\(query)` (HTTP \(response.status): \(detail))",
                isTransient: response.status >= 500 || response.status == 503)
        }
        switch data.result {
        case .samples(let samples):
            return samples.compactMap { $0.value.count == 2 ? $0.value[1].number : nil }
        case .pair(let pair) where pair.count == 2:
            return pair[1].number.map { [$0] } ?? []
        default:
            throw QueryError(
                message: "Prometheus answered `\(query)` with a \(data.resultType); the rule needs a vector or a scalar", isTransient: false)
        }
    }
}
