import Mustache

/// The values a trainer's templated parameters can use, e.g. `{{cycle_id}}`, `{{reason}}`, `{{cycle_url}}`.
struct TrainingTemplateContext {
    var values: [String: String]

    init(_ request: TrainingRequest) {
        var values = [
            "cycle_id": request.cycleId, "pipeline": request.pipeline, "model": request.modelName,
            "reference": request.data.reference, "current": request.data.current, "target": request.target,
        ]
        values["reason"] = request.reason ?? ""
        values["cycle_url"] = request.cycleURL ?? ""
        // The cycle record holds the drift report; the name says what a Jenkins job would use it for.
        values["drift_summary_url"] = request.cycleURL ?? ""
        values["champion_version"] = request.champion?.version ?? ""
        values["champion_uri"] = request.champion?.modelURI ?? ""
        self.values = values
    }

    /// Renders each template as plain text (no HTML escaping: these are build parameters, not a page).
    func render(_ templates: [String: String]) throws -> [String: String] {
        try templates.mapValues { template in
            try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template).render(self.values)
        }
    }
}
