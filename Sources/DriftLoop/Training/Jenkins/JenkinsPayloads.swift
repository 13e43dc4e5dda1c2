/// The parts of Jenkins' JSON API driftloop reads (`/api/json` of the crumb issuer, queue items, builds, jobs).
/// Shapes follow jenkinsci/jenkins 2.578; unknown fields are ignored.
enum JenkinsPayloads {
    struct Crumb: Decodable {
        var crumb: String
        var crumbRequestField: String
    }

    struct QueueItem: Decodable {
        struct Executable: Decodable {
            var number: Int
            var url: String
        }

        var id: Int
        /// Only on a left item: true when someone cancelled it before it started.
        var cancelled: Bool?
        /// Only on a left item that started a build.
        var executable: Executable?
        var why: String?
    }

    struct Build: Decodable {
        struct Artifact: Decodable {
            var relativePath: String
        }

        var number: Int
        var url: String
        var building: Bool
        /// Null while building.
        var result: String?
        var queueId: Int?
        var artifacts: [Artifact]?
    }

    /// A build parameter as Jenkins lists it in an item's or a build's actions; values may be strings, booleans or numbers.
    struct Parameter: Decodable {
        var name: String
        var value: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            if let text = try? container.decode(String.self, forKey: .value) {
                self.value = text
            } else if let flag = try? container.decode(Bool.self, forKey: .value) {
                self.value = String(flag)
            } else if let number = try? container.decode(Double.self, forKey: .value) {
                self.value = number == number.rounded() ? String(Int(number)) : String(number)
            } else {
                self.value = nil
            }
        }

        enum CodingKeys: String, CodingKey { case name, value }
    }

    struct Action: Decodable {
        var parameters: [Parameter]?
    }

    /// A queue entry or a job's build, with what is needed to recognise a cycle's own build.
    struct Entry: Decodable {
        var id: Int?
        var number: Int?
        var url: String?
        var queueId: Int?
        var actions: [Action?]?

        func parameter(_ name: String) -> String? {
            for action in self.actions ?? [] {
                if let match = action?.parameters?.first(where: { $0.name == name }) { return match.value }
            }
            return nil
        }
    }

    struct Queue: Decodable {
        var items: [Entry]
    }

    struct JobBuilds: Decodable {
        var builds: [Entry]?
    }

    /// What a training build archives as `metrics.json`: challenger and champion metrics on the same evaluation data.
    struct MetricsArtifact: Decodable {
        var challenger: [String: Double]
        var champion: [String: Double]?
        var modelURI: String?
        var holdoutRows: Int?

        enum CodingKeys: String, CodingKey {
            case challenger, champion
            case modelURI = "model_uri"
            case holdoutRows = "holdout_rows"
        }
    }
}
