import Foundation

/// What the built-in trainer agrees to do. Its port is reachable by any local process, so a request is held to
/// what the named pipeline declares: the trainer reads no file a pipeline does not name, and its parameters are
/// bounded, so one request cannot read secrets off the disk or occupy the training queue for minutes.
package struct TrainingRequestPolicy: Sendable {
    /// The data a pipeline declares, as the controller sends it.
    package struct DeclaredData: Sendable, Equatable {
        package var model: String
        package var reference: String
        package var current: String
        package var target: String

        package init(model: String, reference: String, current: String, target: String) {
            self.model = model
            self.reference = reference
            self.current = current
            self.target = target
        }
    }

    /// Parameters the built-in trainer reads, with the values it accepts.
    package static let parameterRanges: [String: ClosedRange<Int>] = [
        // Gradient-descent passes: 400 by default; 5,000 trains the example in about 2 s, far past convergence.
        "iterations": 1...5_000,
        "seed": 0...Int(Int32.max),
    ]
    /// Longest cycle id accepted: ids are UUIDs; the cap keeps a forged one out of logs and file names.
    static let maxIdentifierLength = 128

    package var pipelines: [String: DeclaredData]

    package init(pipelines: [String: DeclaredData]) {
        self.pipelines = pipelines
    }

    package init(_ definitions: [PipelineDefinition]) {
        var pipelines: [String: DeclaredData] = [:]
        for pipeline in definitions {
            pipelines[pipeline.name] = DeclaredData(
                model: pipeline.model, reference: pipeline.data.reference, current: pipeline.data.current, target: pipeline.data.target)
        }
        self.init(pipelines: pipelines)
    }

    /// Refuses anything the named pipeline does not declare. Messages name the field, never a value from the request
    /// (which may be forged) beyond the pipeline names the operator declared.
    package func check(_ request: TrainingRequest) throws(TrainingRequestRefusal) {
        guard let declared = self.pipelines[request.pipeline] else {
            throw TrainingRequestRefusal(
                field: "pipeline",
                message: "no pipeline of that name is declared here; pipelines: \(self.pipelines.keys.sorted().joined(separator: ", "))")
        }
        guard Self.isIdentifier(request.cycleId) else {
            throw TrainingRequestRefusal(
                field: "cycle_id", message: "`cycle_id` must be 1 to \(Self.maxIdentifierLength) letters, digits, `-`, `_` or `.`")
        }
        guard request.data.reference == declared.reference, request.data.current == declared.current else {
            throw TrainingRequestRefusal(
                field: "data",
                message: "the built-in trainer reads only the data pipeline `\(request.pipeline)` declares (data.reference and data.current)")
        }
        guard request.target == declared.target else {
            throw TrainingRequestRefusal(field: "target", message: "the target must be the one pipeline `\(request.pipeline)` declares (data.target)")
        }
        guard request.modelName == declared.model else {
            throw TrainingRequestRefusal(field: "model_name", message: "the model must be the one pipeline `\(request.pipeline)` declares")
        }
        if request.features != nil {
            throw TrainingRequestRefusal(field: "features", message: "the built-in trainer uses every column but the target; leave `features` out")
        }
        try Self.checkParameters(request.params)
    }

    /// The built-in trainer's parameters: known names, whole numbers within range. Also used when a pipeline loads.
    package static func checkParameters(_ params: [String: String]) throws(TrainingRequestRefusal) {
        for name in params.keys.sorted() {
            let field = "params.\(name)"
            guard let range = Self.parameterRanges[name] else {
                throw TrainingRequestRefusal(
                    field: field,
                    message:
                        "the built-in trainer has no parameter `\(Self.printable(name))`; it takes \(Self.parameterRanges.keys.sorted().joined(separator: ", "))"
                )
            }
            guard let value = params[name].flatMap({ Int($0) }), range.contains(value) else {
                throw TrainingRequestRefusal(
                    field: field, message: "`\(name)` must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        (1...Self.maxIdentifierLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".")
            }
    }

    /// A parameter name as it may be quoted back: short, and with control characters escaped.
    private static func printable(_ text: String) -> String {
        LogText.escape(String(text.prefix(64)))
    }
}

/// A training request the built-in trainer refuses (answered 403 or 400, naming the field).
package struct TrainingRequestRefusal: Error, Sendable, CustomStringConvertible {
    package var field: String
    package var message: String

    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    package var description: String { self.message }
}
