/// Reads the `data:` section: each side a location (path, URL, `s3://`), a PostgreSQL query or the recent
/// feedback window, plus the files a trainer reads when a side is not a file.
enum DataSettingsReader {
    static let example = "data: {reference: data/reference.parquet, current: s3://bucket/current/*.parquet, target: label}"

    static func read(_ node: YAMLNode, trainer: TrainerSettings, schedule: ScheduleSettings?, baseDirectory: String, reader: inout YAMLReader)
        -> DataSettings
    {
        var data = DataSettings(reference: "", current: "", target: "label", predictionColumns: [])
        if node.isMissing {
            reader.fail(node, "`data` is required: a mapping with `reference` and `current`, for example `\(Self.example)`")
            return data
        }
        guard reader.requireMapping(node, example: Self.example) else { return data }
        reader.rejectUnknownKeys(node, allowed: ["reference", "current", "target", "prediction", "train"])
        data.referenceSource = Self.source(
            node.child("reference"), side: "reference", schedule: schedule, baseDirectory: baseDirectory, reader: &reader)
        data.currentSource = Self.source(node.child("current"), side: "current", schedule: schedule, baseDirectory: baseDirectory, reader: &reader)
        data.target = reader.string(node.child("target"), default: "label") ?? "label"
        data.predictionColumns = reader.stringList(node.child("prediction")) ?? []

        // What a trainer is sent: the side's location, or the file `data.train` names for a side that is a query
        // or the live window.
        let trainNode = node.child("train")
        var train: [String: String] = [:]
        if !trainNode.isMissing, reader.requireMapping(trainNode, example: "train: {current: data/current-export.csv}") {
            reader.rejectUnknownKeys(trainNode, allowed: ["reference", "current"])
            for side in ["reference", "current"] {
                if let path = reader.string(trainNode.child(side)) { train[side] = PathResolution.resolve(path, relativeTo: baseDirectory) }
            }
        }
        data.reference = train["reference"] ?? data.referenceSource.location ?? ""
        data.current = train["current"] ?? data.currentSource.location ?? ""
        for side in ["reference", "current"] {
            let source = side == "reference" ? data.referenceSource : data.currentSource
            if let location = source.location, !location.isEmpty {
                data.declaredFiles.append(.init(key: "data.\(side)", location: location, at: node.child(side).location))
            }
            if let path = train[side] {
                data.declaredFiles.append(.init(key: "data.train.\(side)", location: path, at: trainNode.child(side).location))
            }
        }
        if trainer.kind != .jenkins {
            for (side, value) in [("reference", data.reference), ("current", data.current)] where value.isEmpty && !node.child(side).isMissing {
                reader.fail(
                    node.child(side),
                    "the \(trainer.kind.rawValue) trainer trains on files, and `data.\(side)` is not one: name the file it reads with `data.train.\(side): PATH`"
                )
            }
        }
        return data
    }

    static func source(_ node: YAMLNode, side: String, schedule: ScheduleSettings?, baseDirectory: String, reader: inout YAMLReader)
        -> DataSourceDeclaration
    {
        if node.isMissing {
            reader.fail(
                node, "`data.\(side)` is required: a path, an http(s) URL, s3://bucket/key, `{postgres: ..., query: ...}` or `{recent: {records: N}}`"
            )
            return .location("")
        }
        if let text = node.scalarText {
            return .location(PathResolution.resolve(text, relativeTo: baseDirectory))
        }
        guard node.isMapping else {
            reader.fail(node, "`data.\(side)` must be a location (a string) or a mapping with `postgres` or `recent`")
            return .location("")
        }
        if !node.child("recent").isMissing {
            reader.rejectUnknownKeys(node, allowed: ["recent"])
            if side == "reference" {
                reader.fail(
                    node.child("recent"), "`data.reference` cannot be the recent feedback window: the reference is the data the model was trained on")
            }
            return .recentFeedback(Self.recent(node.child("recent"), reader: &reader) ?? .records(1))
        }
        if !node.child("postgres").isMissing || !node.child("query").isMissing {
            return .postgres(Self.postgres(node, side: side, schedule: schedule, baseDirectory: baseDirectory, reader: &reader))
        }
        reader.fail(node, "`data.\(side)` as a mapping needs `postgres` and `query`, or `recent`, for example `{recent: {records: 5000}}`")
        return .location("")
    }

    private static func recent(_ node: YAMLNode, reader: inout YAMLReader) -> RecentFeedbackWindow? {
        let example = "recent: {records: 5000} or recent: {window: 24h}"
        guard reader.requireMapping(node, example: example) else { return nil }
        reader.rejectUnknownKeys(node, allowed: ["records", "window"])
        let records = node.child("records"), window = node.child("window")
        switch (records.isMissing, window.isMissing) {
        case (false, true):
            return .records(reader.int(records, default: 5000, range: 1...10_000_000))
        case (true, false):
            guard let duration = reader.duration(window, default: nil) else { return nil }
            return .window(duration)
        default:
            reader.fail(node, "`recent` takes exactly one of `records: N` or `window: DURATION`, for example `\(example)`")
            return nil
        }
    }

    private static func postgres(_ node: YAMLNode, side: String, schedule: ScheduleSettings?, baseDirectory: String, reader: inout YAMLReader)
        -> SQLSourceSettings
    {
        let example =
            #"{postgres: {url_env: WAREHOUSE_URL}, query: "SELECT * FROM predictions WHERE at >= {{window_start}} AND at < {{window_end}}", window: 24h}"#
        reader.rejectUnknownKeys(node, allowed: ["postgres", "query", "params", "window", "max_rows"])
        var settings = SQLSourceSettings(url: .environment(""), query: "")
        let connection = node.child("postgres")
        if connection.isMissing {
            reader.fail(node, "a query source needs `postgres: {url_env: VARIABLE}` or `postgres: {url_file: PATH}`, for example `\(example)`")
        } else if reader.requireMapping(connection, example: "postgres: {url_env: WAREHOUSE_URL}") {
            reader.rejectUnknownKeys(connection, allowed: ["url_env", "url_file"])
            if let variable = reader.string(connection.child("url_env")) {
                settings.url = .environment(variable)
            } else if let path = reader.string(connection.child("url_file")) {
                settings.url = .file(PathResolution.resolve(path, relativeTo: baseDirectory))
            } else {
                reader.fail(
                    connection,
                    "`postgres` needs `url_env: VARIABLE` or `url_file: PATH` holding postgres://USER:PASSWORD@HOST:PORT/DATABASE (never the URL itself)"
                )
            }
        }
        settings.query = reader.string(node.child("query"), required: true) ?? ""
        settings.params = reader.stringMap(node.child("params"))
        settings.window = reader.duration(node.child("window"), default: nil)
        settings.maxRows = reader.int(node.child("max_rows"), default: 1_000_000, range: 1...100_000_000)
        for name in settings.parameterNames where name != "window_start" && name != "window_end" && settings.params[name] == nil {
            reader.fail(node.child("query"), "the query uses `{{\(name)}}`, which `params` does not give; add `params: {\(name): VALUE}`")
        }
        let usesWindow = settings.parameterNames.contains("window_start") || settings.parameterNames.contains("window_end")
        if usesWindow, settings.window == nil {
            if case .every? = schedule?.timing {
            } else {
                reader.fail(
                    node.child("query"),
                    "the query uses the time window; declare its length with `window: 24h` (or give the pipeline `schedule: {every: ...}`)")
            }
        }
        return settings
    }
}
