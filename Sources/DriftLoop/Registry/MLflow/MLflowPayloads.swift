/// The parts of MLflow's REST API 2.0 that driftloop reads. Responses are proto3 JSON: empty lists and maps
/// are left out, so every collection is optional.
enum MLflowPayloads {
    struct Tag: Codable {
        var key: String
        var value: String
    }

    struct ModelVersion: Decodable {
        var name: String
        var version: String
        var creationTimestamp: Int64?
        var source: String?
        var runId: String?
        var currentStage: String?
        var tags: [Tag]?
        var aliases: [String]?

        enum CodingKeys: String, CodingKey {
            case name, version, source, tags, aliases
            case creationTimestamp = "creation_timestamp"
            case runId = "run_id"
            case currentStage = "current_stage"
        }
    }

    struct ModelVersionEnvelope: Decodable {
        var modelVersion: ModelVersion
        enum CodingKeys: String, CodingKey { case modelVersion = "model_version" }
    }

    struct ModelVersionSearch: Decodable {
        var modelVersions: [ModelVersion]?
        var nextPageToken: String?
        enum CodingKeys: String, CodingKey {
            case modelVersions = "model_versions"
            case nextPageToken = "next_page_token"
        }
    }

    struct Experiment: Decodable {
        struct Body: Decodable {
            var experimentId: String
            enum CodingKeys: String, CodingKey { case experimentId = "experiment_id" }
        }
        var experiment: Body
    }

    struct CreatedExperiment: Decodable {
        var experimentId: String
        enum CodingKeys: String, CodingKey { case experimentId = "experiment_id" }
    }

    struct Run: Decodable {
        struct Info: Decodable {
            var runId: String
            var experimentId: String
            var artifactUri: String?
            enum CodingKeys: String, CodingKey {
                case runId = "run_id"
                case experimentId = "experiment_id"
                case artifactUri = "artifact_uri"
            }
        }
        struct Metric: Decodable {
            var key: String
            var value: Double
        }
        struct Data: Decodable {
            var metrics: [Metric]?
            var tags: [Tag]?
        }
        var info: Info
        var data: Data?
    }

    struct RunEnvelope: Decodable {
        var run: Run
    }

    struct RunSearch: Decodable {
        var runs: [Run]?
    }

    /// MLflow's error body: `{"error_code": "...", "message": "..."}`.
    struct ErrorBody: Decodable {
        var errorCode: String?
        var message: String?
        enum CodingKeys: String, CodingKey {
            case errorCode = "error_code"
            case message
        }
    }
}
