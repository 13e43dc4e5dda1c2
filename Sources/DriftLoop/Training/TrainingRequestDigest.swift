import Crypto
import Foundation

/// The digest that ties a training job to the request that made it: SHA-256 (lowercase hex) of the canonical JSON of
/// the fields that decide what is trained and scored — `cycle_id`, `pipeline`, `model_name`, `data`, `target`,
/// `features`, `champion` and `params`. `reason` and `cycle_url` are left out, so a replica whose public URL differs
/// still recognises the job another replica started.
///
/// Canonical JSON, so that a trainer in any language computes the same bytes: objects with keys sorted by code point,
/// no whitespace, strings in UTF-8 with only `"`, `\` and control characters escaped (`\b \f \n \r \t`, else
/// `\u00xx` in lowercase hex), absent values as `null`. Python's
/// `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` writes exactly this.
package enum TrainingRequestDigest {
    package static func digest(of request: TrainingRequest) -> String {
        let canonical = Self.canonicalJSON(of: request)
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func canonicalJSON(of request: TrainingRequest) -> String {
        let champion: JSONValue = request.champion.map { ["version": .string($0.version), "model_uri": .string($0.modelURI)] } ?? .null
        let value: JSONValue = [
            "cycle_id": .string(request.cycleId),
            "pipeline": .string(request.pipeline),
            "model_name": .string(request.modelName),
            "data": ["reference": .string(request.data.reference), "current": .string(request.data.current)],
            "target": .string(request.target),
            "features": request.features.map { .array($0.map(JSONValue.string)) } ?? .null,
            "champion": champion,
            "params": .object(request.params.mapValues(JSONValue.string)),
        ]
        var output = ""
        Self.write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += String(number)
        case .string(let text): Self.write(string: text, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                Self.write(item, to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.write(string: key, to: &output)
                output += ":"
                Self.write(members[key] ?? .null, to: &output)
            }
            output += "}"
        }
    }

    private static func write(string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
