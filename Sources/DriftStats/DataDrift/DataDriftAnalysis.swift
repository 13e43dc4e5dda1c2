import Foundation

/// Evidently's DataDriftPreset on two tables: each column typed, tested (automatic choice or an override),
/// compared with its threshold, then the share of drifted columns compared with the dataset threshold.
package struct DataDriftAnalysis: Sendable {
    /// Overrides, by precedence: per column, then per type, then for all columns (Evidently's order).
    package var method: StatTestMethod?
    package var numericalMethod: StatTestMethod?
    package var categoricalMethod: StatTestMethod?
    package var perColumnMethod: [String: StatTestMethod]
    package var threshold: Double?
    package var perColumnThreshold: [String: Double]
    package var schema: ColumnSchema
    /// Dataset drift when at least this share of tested columns drifted.
    package var share: Double
    /// Adjusts the p-value columns' scores before they are compared with their thresholds.
    package var correction: MultipleTestingCorrection = .none

    package init(
        method: StatTestMethod? = nil, numericalMethod: StatTestMethod? = nil, categoricalMethod: StatTestMethod? = nil,
        perColumnMethod: [String: StatTestMethod] = [:], threshold: Double? = nil, perColumnThreshold: [String: Double] = [:],
        schema: ColumnSchema = ColumnSchema(), share: Double = 0.5
    ) {
        self.method = method
        self.numericalMethod = numericalMethod
        self.categoricalMethod = categoricalMethod
        self.perColumnMethod = perColumnMethod
        self.threshold = threshold
        self.perColumnThreshold = perColumnThreshold
        self.schema = schema
        self.share = share
    }

    /// - Parameter columns: the columns to test (default: every column of the current table present in both).
    package func run(reference: DataTable, current: DataTable, columns: [String]? = nil) -> DataDriftReport {
        let results = self.plan(reference: reference, current: current, columns: columns).map { self.test($0) }
        return self.report(results, reference: reference, current: current)
    }

    /// The same as `run`, with the columns tested in parallel (at most one task per core), for wide tables where
    /// each column's test costs milliseconds.
    package func runConcurrently(reference: DataTable, current: DataTable, columns: [String]? = nil) async -> DataDriftReport {
        let jobs = self.plan(reference: reference, current: current, columns: columns)
        // sysconf, not ProcessInfo: its first use reads cgroup files (a third of a millisecond, in a command timed
        // as a whole). The width only bounds the tasks queued; the cooperative pool bounds those running.
        let width = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let results = await withTaskGroup(of: (Int, DataDriftReport.Column).self) { group in
            var results = [DataDriftReport.Column?](repeating: nil, count: jobs.count)
            var next = 0
            func submit() {
                let index = next, job = jobs[index]
                next += 1
                group.addTask { (index, self.test(job)) }
            }
            while next < min(width, jobs.count) { submit() }
            while let (index, column) = await group.next() {
                results[index] = column
                if next < jobs.count { submit() }
            }
            return results.compactMap { $0 }
        }
        return self.report(results, reference: reference, current: current)
    }

    /// A column to test: present in both tables and typed (columns that cannot be typed are skipped).
    struct ColumnJob: Sendable {
        var name: String
        var type: DriftColumnType
        var reference: TableColumn
        var current: TableColumn
    }

    private func plan(reference: DataTable, current: DataTable, columns: [String]?) -> [ColumnJob] {
        let names = columns ?? current.columnNames.filter { reference[$0] != nil }
        return names.compactMap { name in
            guard let referenceColumn = reference[name], let currentColumn = current[name] else { return nil }
            guard let type = ColumnTyping.type(of: currentColumn, forced: self.schema.types[name]) else { return nil }
            return ColumnJob(name: name, type: type, reference: referenceColumn, current: currentColumn)
        }
    }

    private func report(_ tested: [DataDriftReport.Column], reference: DataTable, current: DataTable) -> DataDriftReport {
        let results = Self.corrected(tested, by: self.correction)
        let drifted = results.filter(\.drifted).count
        let share = results.isEmpty ? 0 : Double(drifted) / Double(results.count)
        return DataDriftReport(
            columns: results, driftedColumns: drifted, share: share, shareThreshold: self.share,
            datasetDrift: !results.isEmpty && share >= self.share,
            referenceRows: reference.rowCount, currentRows: current.rowCount, referenceSource: reference.source, currentSource: current.source,
            excludedColumns: current.excluded.isEmpty ? nil : current.excluded,
            warnings: Self.warnings(results, reference: reference, current: current), correction: self.correction == .none ? nil : self.correction)
    }

    /// The columns with their p-values adjusted together and compared again with their thresholds; the columns
    /// scored by a distance, or not scored, are as they were.
    static func corrected(_ results: [DataDriftReport.Column], by correction: MultipleTestingCorrection) -> [DataDriftReport.Column] {
        guard correction != .none else { return results }
        let family = results.indices.filter { index in
            let column = results[index]
            return column.error == nil && column.score != nil && column.threshold != nil
                && StatTestMethod(rawValue: column.stattest)?.scoreIsPValue == true
        }
        let adjusted = correction.adjusted(family.map { results[$0].score! })
        var corrected = results
        for (index, pValue) in zip(family, adjusted) {
            let method = StatTestMethod(rawValue: corrected[index].stattest)!
            corrected[index].adjustedScore = pValue
            corrected[index].drifted = method.isDrift(score: pValue, threshold: corrected[index].threshold!)
        }
        return corrected
    }

    /// The typing warnings of the columns in the report, reference side first.
    static func warnings(_ results: [DataDriftReport.Column], reference: DataTable, current: DataTable) -> [ColumnTypingWarning]? {
        let reported = Set(results.map(\.column))
        let warnings = (reference.warnings + current.warnings).filter { reported.contains($0.column) }
        return warnings.isEmpty ? nil : warnings
    }

    func test(_ job: ColumnJob) -> DataDriftReport.Column {
        let (name, type, reference, current) = (job.name, job.type, job.reference, job.current)
        var referenceSample = Self.sample(reference, as: type)
        var currentSample = Self.sample(current, as: type)
        // A column read as numbers in one file and as text in the other is compared as text on both sides.
        if (referenceSample.numbers == nil) != (currentSample.numbers == nil) {
            referenceSample = DriftSample(texts: reference.categoricalValues())
            currentSample = DriftSample(texts: current.categoricalValues())
        }
        var result = DataDriftReport.Column(
            column: name, columnType: type, stattest: "none", score: nil, threshold: nil, drifted: false,
            referenceCount: referenceSample.count, currentCount: currentSample.count, error: nil)
        guard type != .text else {
            result.error = "free-text column (more than half of its values distinct): not tested; declare it `cat` in a schema to test it"
            return result
        }
        guard referenceSample.count > 0, currentSample.count > 0 else {
            result.error = StatTestError.emptyColumn(name).description
            return result
        }
        let uniqueCount = referenceSample.distinctCount(upTo: 6, with: currentSample)
        let chosen = self.perColumnMethod[name] ?? (type == .numerical ? self.numericalMethod : self.categoricalMethod) ?? self.method
        guard let method = chosen ?? StatTestSelection.automatic(type: type, referenceCount: referenceSample.count, uniqueCount: uniqueCount) else {
            return result
        }
        result.stattest = method.rawValue
        let threshold = self.perColumnThreshold[name] ?? self.threshold ?? method.defaultThreshold
        result.threshold = threshold
        if chosen != nil, !method.columnTypes.contains(type) {
            result.error = StatTestError.notApplicable(method: method.rawValue, type: type).description
            return result
        }
        do {
            let score = try method.score(reference: referenceSample, current: currentSample, type: type)
            result.score = score.isNaN ? nil : score
            result.drifted = !score.isNaN && method.isDrift(score: score, threshold: threshold)
        } catch {
            result.error = error.description
        }
        return result
    }

    /// The cleaned values of a column as the test will see them: numbers for a numeric column read as numbers,
    /// text otherwise.
    static func sample(_ column: TableColumn, as type: DriftColumnType) -> DriftSample {
        switch column.values {
        case .numbers(let numbers):
            return DriftSample(numbers: numbers, isInteger: column.storage == .integer)
        case .codes(let codes, let levels):
            return DriftSample(codes: codes.filter { $0 >= 0 }, levels: levels)
        }
    }
}
