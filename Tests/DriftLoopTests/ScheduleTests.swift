import Foundation
import Testing

@testable import DriftLoop

@Suite struct CronExpressionTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test(arguments: [
        ("*/15 * * * *", "2026-12-01T10:07:30Z", "2026-12-01T10:15:00Z"),
        ("*/15 * * * *", "2026-12-01T10:45:00Z", "2026-12-01T11:00:00Z"),
        ("0 9 * * 1-5", "2026-12-04T10:00:00Z", "2026-12-07T09:00:00Z"),  // Friday after nine: Monday
        ("0 0 1 * *", "2026-12-15T00:00:00Z", "2027-01-01T00:00:00Z"),
        ("30 2 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T02:30:00Z"),  // the next leap day
        ("0 12 13 * 5", "2026-12-01T00:00:00Z", "2026-12-04T12:00:00Z"),  // both day fields: either matches (Friday the 4th)
        ("5,35 22-23 * * 0", "2026-12-05T23:40:00Z", "2026-12-06T22:05:00Z"),  // Sunday
        ("0 0 * * 7", "2026-12-01T00:00:00Z", "2026-12-06T00:00:00Z"),  // 7 is Sunday too
    ])
    func nextMatchesCron(expression: String, after: String, expected: String) throws {
        #expect(try CronExpression(expression).next(after: Self.date(after)) == Self.date(expected))
    }

    @Test(arguments: ["* * * *", "60 * * * *", "*/0 * * * *", "5-1 * * * *", "a * * * *", "* * 32 * *"])
    func badExpressionsAreRefusedWithTheExpectedForm(expression: String) {
        #expect(throws: CronExpression.ParseError.self) { try CronExpression(expression) }
    }

    @Test func anImpossibleDateHasNoNextTime() throws {
        #expect(try CronExpression("0 0 30 2 *").next(after: Self.date("2026-12-01T00:00:00Z")) == nil)
    }
}

@Suite struct ScheduledDriftCheckTests {
    actor Published {
        var reports: [(String, DriftReport)] = []
        func add(_ pipeline: String, _ report: DriftReport) { self.reports.append((pipeline, report)) }
    }

    func controller(_ harness: ControllerHarness, published: Published, clock: any ControllerClock = SystemClock()) -> Controller {
        Controller(
            pipelines: [harness.pipeline], store: harness.store,
            services: { _ in PipelineServices(trainer: harness.trainer, registry: harness.registry, dataLoader: DataLoader(client: .init())) },
            logger: TestData.quietLogger, driftObserver: { pipeline, report in await published.add(pipeline, report) }, clock: clock)
    }

    func yaml(current: String = TestData.current, schedule: String) -> String {
        TestData.pipelineYAML(current: current).replacingOccurrences(of: "cooldown: 10m", with: "cooldown: 10m\nschedule: \(schedule)")
    }

    @Test func aCheckThatFindsDriftStartsAScheduleCycleAndPublishesTheFigures() async throws {
        let harness = try ControllerHarness(yaml: self.yaml(schedule: "{cron: \"0 * * * *\"}"))
        let published = Published()
        let controller = self.controller(harness, published: published)
        let (report, acceptance) = try await controller.runScheduledCheck(pipeline: "churn", at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(report.datasetDrift)
        #expect(acceptance?.disposition == .started)
        let cycleId = try #require(acceptance?.cycleId)
        let cycle = try #require(try await harness.store.cycle(id: cycleId))
        #expect(cycle.kind == .schedule)
        #expect(cycle.decisions["trigger"]?["reason"]?.stringValue?.hasPrefix("scheduled drift check:") == true)
        #expect(await published.reports.first?.1.datasetDrift == true)
        // The same scheduled time again (a restart re-running it) is the same trigger.
        let again = try await controller.runScheduledCheck(pipeline: "churn", at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(again.acceptance?.disposition == .duplicate)
        await controller.stop()
    }

    @Test func publishOnlyAndNoDriftStartNothing() async throws {
        let publishing = try ControllerHarness(yaml: self.yaml(schedule: "{every: 1h, on_drift: publish}"))
        let published = Published()
        let first = self.controller(publishing, published: published)
        #expect(try await first.runScheduledCheck(pipeline: "churn").acceptance == nil)
        #expect(try await publishing.store.cycles(pipeline: nil, limit: 5).isEmpty)
        #expect(await published.reports.count == 1)

        let quiet = try ControllerHarness(yaml: self.yaml(current: TestData.reference, schedule: "{every: 1h}"))
        let second = self.controller(quiet, published: published)
        let (report, acceptance) = try await second.runScheduledCheck(pipeline: "churn")
        #expect(!report.datasetDrift && acceptance == nil)
        #expect(try await quiet.store.cycles(pipeline: nil, limit: 5).isEmpty)
    }

    /// An hourly schedule on the manual clock: a check per hour the clock moves, none before, none after cancelling.
    @Test func theScheduleRunsEachPeriodUntilCancelled() async throws {
        let harness = try ControllerHarness(yaml: self.yaml(schedule: "{every: 1h, on_drift: publish}"))
        let published = Published()
        let clock = ManualClock()
        let controller = self.controller(harness, published: published, clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await controller.runSchedules() }
            for hour in 1...3 {
                try await clock.waitForSleepers(1)
                clock.advance(by: .seconds(3599))
                try await clock.waitForSleepers(1)
                #expect(await published.reports.count == hour - 1, "nothing before the hour is up")
                clock.advance(by: .seconds(1))
                for _ in 0..<2000 where await published.reports.count < hour { try await Task.sleep(for: .milliseconds(5)) }
                #expect(await published.reports.count == hour)
            }
            try await clock.waitForSleepers(1)
            group.cancelAll()
            try await group.waitForAll()
        }
        clock.advance(by: .seconds(7200))
        #expect(await published.reports.count == 3)
    }

    @Test func badSchedulesNameLineAndColumn() throws {
        for (schedule, message) in [
            ("{every: 1h, cron: \"0 * * * *\"}", "either `every: DURATION` or `cron:"),
            ("{cron: \"61 * * * *\"}", "the minute field `61` is outside 0-59"),
            ("{every: 1h, on_drift: maybe}", "`schedule.on_drift` must be `cycle` or `publish`"), ("{}", "`schedule` needs `every: DURATION`"),
        ] {
            do {
                _ = try TestData.pipeline(self.yaml(schedule: schedule), directory: TemporaryDirectory())
                Issue.record("accepted \(schedule)")
            } catch let error as DiagnosticsError {
                #expect(error.diagnostics.contains { $0.message.contains(message) && $0.location.line == 10 }, "\(schedule): \(error.diagnostics)")
            }
        }
    }
}
