import Foundation
import Testing

/// docs/PIPELINES.md shows the example pipeline's graph; it must be what `driftloop pipeline graph example` prints.
@Suite struct PipelineGraphDocTests {
    @Test func theDocumentedGraphIsWhatTheCommandPrints() async throws {
        let scratch = try CLIScratch("graph-doc")
        defer { scratch.remove() }
        let run = try await CLIRun.run(["pipeline", "graph", "example", "--config", scratch.configPath])
        #expect(run.status == 0, "\(run.output)")
        let document = try String(contentsOfFile: ChildServer.repositoryRoot + "/docs/PIPELINES.md", encoding: .utf8)
        let start = try #require(document.range(of: "```mermaid\n"))
        let end = try #require(document.range(of: "```", range: start.upperBound..<document.endIndex))
        let documented = String(document[start.upperBound..<end.lowerBound])
        #expect(documented == run.output, "docs/PIPELINES.md's graph differs; paste the output of `driftloop pipeline graph example`")
    }
}
