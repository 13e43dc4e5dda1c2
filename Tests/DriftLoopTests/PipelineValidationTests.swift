import Foundation
import Testing

@testable import DriftLoop

@Suite struct PipelineValidationTests {
    let directory = TemporaryDirectory()

    func diagnostics(_ yaml: String) -> [Diagnostic] {
        do {
            _ = try TestData.pipeline(yaml, directory: self.directory)
            return []
        } catch let error as DiagnosticsError {
            return error.diagnostics
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func shippedExamplePipelineIsValid() throws {
        let pipeline = try PipelineLoader.load(path: TestData.examplePipeline)
        #expect(pipeline.name == "example")
        #expect(pipeline.initialState == "detect")
        #expect(pipeline.states["await_training"]?.timeout == .seconds(1800))
        #expect(pipeline.cooldown == .seconds(600))
        #expect(pipeline.drift.share == 0.5)
    }

    @Test func shippedTrainerExamplesAreValid() throws {
        let directory = (TestData.examplePipeline as NSString).deletingLastPathComponent + "/examples"
        let jenkins = try PipelineLoader.load(path: directory + "/jenkins-retrain.yaml")
        #expect(jenkins.trainer.kind == .jenkins)
        #expect(jenkins.trainer.jenkins?.job == "ml/retrain")
        #expect(jenkins.trainer.jenkins?.cycleParameter == "DRIFTLOOP_CYCLE")
        #expect(jenkins.states["await_training"]?.transitions["unstable"]?.target == "reject")
        let sklearn = try PipelineLoader.load(path: directory + "/sklearn-http.yaml")
        #expect(sklearn.trainer.kind == .http)
        #expect(sklearn.trainer.url == "http://127.0.0.1:9000")
        let mlflow = try PipelineLoader.load(path: directory + "/mlflow-observe.yaml")
        #expect(mlflow.registry.kind == .mlflow)
        #expect(mlflow.registry.mlflow?.url == "http://127.0.0.1:5055")
        #expect(mlflow.observation?.rules.map(\.name) == ["error_rate", "p95_latency_seconds"])
        #expect(mlflow.observation?.rules.first?.failures == 2)
        #expect(mlflow.observation?.window == .seconds(1800))
    }

    @Test func anObserveStateNeedsTheObserveSectionAndATimeoutPastItsWindow() throws {
        let observing =
            TestData.pipelineYAML().replacingOccurrences(of: "on: {promoted: promoted}", with: "on: {promoted: observe}")
            + "\n  observe:\n    action: observe\n    timeout: 1m\n    on: {healthy: promoted, rolled_back: failed}\n"
        #expect(self.diagnostics(observing).contains { $0.message.contains("needs an `observe:` section") })
        let tooShort = observing.replacingOccurrences(
            of: "cooldown: 10m",
            with: "cooldown: 10m\nobserve: {window: 5m, prometheus: {url: http://127.0.0.1:9090}, rules: [{name: e, query: up, above: 1}]}")
        #expect(self.diagnostics(tooShort).contains { $0.message.contains("must time out after the observation window (5m)") })
        let noComparison = tooShort.replacingOccurrences(of: ", above: 1}", with: "}")
        #expect(self.diagnostics(noComparison).contains { $0.message.contains("exactly one of `above: NUMBER` or `below: NUMBER`") })
    }

    @Test func aJenkinsTrainerWithoutTheCycleParameterIsRejectedWithTheExpectedForm() throws {
        let yaml = TestData.pipelineYAML().replacingOccurrences(
            of: "trainer: {kind: builtin, poll: 20ms}",
            with: "trainer: {kind: jenkins, url: http://127.0.0.1:1, job: ml//retrain, params: {A: \"{{reason}}\"}}")
        let messages = self.diagnostics(yaml).map(\.description)
        #expect(messages.contains { $0.contains(":4:") && $0.contains("exactly `{{cycle_id}}`") }, "\(messages)")
        #expect(messages.contains { $0.contains("folders separated by `/`") }, "\(messages)")
    }

    @Test func testPipelineIsValid() {
        #expect(self.diagnostics(TestData.pipelineYAML()).isEmpty)
    }

    @Test func unknownTransitionTargetNamesLineAndColumn() throws {
        let yaml = TestData.pipelineYAML().replacingOccurrences(of: "on: {started: await_training}", with: "on: {started: await_trainig}")
        let found = self.diagnostics(yaml)
        let diagnostic = try #require(found.first { $0.message.contains("unknown state `await_trainig`") })
        #expect(diagnostic.location.line == 19)
        #expect(diagnostic.location.column == 19)
        #expect(diagnostic.description.hasPrefix(self.directory.file("churn.yaml") + ":19:19: error:"))
    }

    @Test func unreachableState() {
        let yaml = TestData.pipelineYAML() + "\n  orphan:\n    action: evaluate\n    on: {better: promoted, not_better: rejected}\n"
        let found = self.diagnostics(yaml)
        let diagnostic = found.first { $0.message.contains("`orphan` is unreachable") }
        #expect(diagnostic != nil)
        // The orphan state starts on the line after the test pipeline's last one.
        #expect(diagnostic?.location.line == TestData.pipelineYAML().split(separator: "\n", omittingEmptySubsequences: false).count + 1)
        #expect(diagnostic?.location.column == 3)
    }

    @Test func stateWithNoPathToATerminal() {
        // A loop between two states whose errors are mapped back into the loop can never end.
        let yaml = TestData.pipelineYAML().replacingOccurrences(
            of: "    on: {better: promote, not_better: reject}",
            with:
                "    on: {better: loop, not_better: loop, error: loop, timeout: loop}\n  loop:\n    action: evaluate\n    on: {better: evaluate, not_better: evaluate, error: evaluate, timeout: evaluate}"
        )
        let found = self.diagnostics(yaml)
        #expect(found.contains { $0.message.contains("state `loop` has no path to a terminal state") })
        #expect(found.contains { $0.message.contains("state `evaluate` has no path to a terminal state") })
    }

    @Test func unmappedOutcomeOfAnAction() {
        let yaml = TestData.pipelineYAML().replacingOccurrences(
            of: "on: {drift: train, forced: train, no_drift: no_drift}", with: "on: {drift: train, forced: train}")
        let found = self.diagnostics(yaml)
        let diagnostic = found.first { $0.message.contains("does not map outcome `no_drift` of action `detect_drift`") }
        #expect(diagnostic?.location.line == 11)
        #expect(diagnostic?.location.column == 3)
    }

    @Test func outcomeTheActionNeverReturns() {
        let yaml = TestData.pipelineYAML().replacingOccurrences(
            of: "on: {started: await_training}", with: "on: {started: await_training, finished: failed}")
        #expect(self.diagnostics(yaml).contains { $0.message.contains("never returns `finished`") && $0.location.line == 19 })
    }

    @Test func missingTimeoutOnAWaitingState() {
        let yaml = TestData.pipelineYAML().replacingOccurrences(of: "    timeout: 30s\n    poll: 20ms\n", with: "    poll: 20ms\n")
        let found = self.diagnostics(yaml)
        let diagnostic = found.first { $0.message.contains("`await_training` waits") }
        #expect(diagnostic?.message.contains("needs a `timeout`") == true)
        #expect(diagnostic?.location.line == 20)
    }

    @Test func unknownActionAndUnknownKeyAndBadDuration() {
        let yaml = TestData.pipelineYAML()
            .replacingOccurrences(of: "action: evaluate", with: "action: evaluat")
            .replacingOccurrences(of: "cooldown: 10m", with: "cooldown: ten minutes\ncooldwn: 5m")
        let found = self.diagnostics(yaml)
        #expect(found.contains { $0.message.contains("unknown action `evaluat`") })
        #expect(found.contains { $0.message.contains("unknown key `cooldwn`") && $0.location.line == 10 && $0.location.column == 1 })
        #expect(found.contains { $0.message.contains("`cooldown` must be a duration") && $0.location.line == 9 && $0.location.column == 11 })
    }

    @Test func everyErrorIsReportedAtOnce() {
        let yaml = TestData.pipelineYAML()
            .replacingOccurrences(of: "on: {started: await_training}", with: "on: {started: nowhere}")
            .replacingOccurrences(of: "action: reject", with: "action: rejct")
        // Both mistakes, and nothing that only follows from the first (the states behind `nowhere` look unreachable).
        let found = self.diagnostics(yaml).map(\.message)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.contains("unknown state `nowhere`") } && found.contains { $0.contains("unknown action `rejct`") }, "\(found)")
    }

    @Test func malformedYAMLNamesLineAndColumn() {
        let found = self.diagnostics("model: m\nstates:\n  detect: {action: detect_drift\n  train: x\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("not valid YAML") == true)
        #expect((found.first?.location.line ?? 0) >= 3)
    }

    @Test func missingTerminalsForFailureAndCancellation() {
        let yaml = TestData.pipelineYAML().replacingOccurrences(of: "  cancelled: {terminal: cancelled}", with: "")
        #expect(self.diagnostics(yaml).contains { $0.message.contains("no state has `terminal: cancelled`") })
    }

    @Test func mermaidGraphListsEveryTransition() throws {
        let pipeline = try TestData.pipeline(TestData.pipelineYAML(), directory: self.directory)
        let graph = MermaidGraph.render(pipeline)
        #expect(graph.hasPrefix("stateDiagram-v2\n    [*] --> detect\n"))
        #expect(graph.contains("detect --> train: drift"))
        #expect(graph.contains("evaluate --> reject: not_better"))
        #expect(graph.contains("promoted --> [*]: promoted"))
        #expect(graph.contains("train --> failed: error / timeout"))
    }
}

@Suite struct ControllerConfigTests {
    @Test func emptyFileGivesEveryDefault() throws {
        let config = try ControllerConfig.parse("", file: "config.yaml", baseDirectory: "/srv/driftloop")
        #expect(config.listen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(config.dataDirectory == "/srv/driftloop/data")
        #expect(config.pipelinesDirectory == "/srv/driftloop/pipelines")
        #expect(config.store == .sqlite(path: "/srv/driftloop/data/driftloop.sqlite"))
        #expect(config.apiTokenEnvironmentVariable == "DRIFTLOOP_API_TOKEN")
        #expect(config.logLevel == .info)
    }

    @Test func relativePathsAreRelativeToTheConfigFile() throws {
        let config = try ControllerConfig.parse(
            "listen: \"0.0.0.0:9090\"\ndata_dir: state\nstore: {kind: sqlite, path: /var/lib/d.sqlite}\nlog_level: debug\n", file: "c.yaml",
            baseDirectory: "/etc/driftloop")
        #expect(config.listen.port == 9090)
        #expect(config.dataDirectory == "/etc/driftloop/state")
        #expect(config.store == .sqlite(path: "/var/lib/d.sqlite"))
        #expect(config.logLevel == .debug)
        #expect(config.apiToken(environment: ["DRIFTLOOP_API_TOKEN": "s"]) == "s")
        #expect(config.apiToken(environment: [:]) == nil)
    }

    @Test func errorsNameKeyLineAndColumn() {
        do {
            _ = try ControllerConfig.parse("listen: 8080\nlog_level: loud\nstroe: sqlite\n", file: "config.yaml", baseDirectory: "/x")
            Issue.record("expected errors")
        } catch {
            let text = error.description
            #expect(text.contains("config.yaml:1:9: error: `listen` must be HOST:PORT"))
            #expect(text.contains("config.yaml:2:12: error: `log_level` must be one of"))
            #expect(text.contains("config.yaml:3:1: error: unknown key `stroe`"))
        }
    }
}
