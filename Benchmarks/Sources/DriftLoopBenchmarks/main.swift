import Foundation

// Benchmarks print figures; BENCHMARKS.md records them. Run a release build:
//   swift run -c release DriftLoopBenchmarks controller [cycles-per-pipeline] [pipelines]
//   swift run -c release DriftLoopBenchmarks detectors [values] [detector]
//   swift run -c release DriftLoopBenchmarks feedback [records] [batch] [senders]
let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ index: Int, _ fallback: Int) -> Int { arguments.count > index ? Int(arguments[index]) ?? fallback : fallback }
let directory = try BenchmarkSupport.temporaryDirectory()
defer { try? FileManager.default.removeItem(atPath: directory) }

switch arguments.first ?? "controller" {
case "controller":
    try await ControllerBenchmark.run(cyclesPerPipeline: argument(1, 200), pipelineCount: argument(2, 100), directory: directory)
case "detectors":
    try DetectorBenchmark.run(count: argument(1, 1_000_000), only: arguments.count > 2 ? arguments[2] : nil)
case "feedback":
    try await FeedbackIngestBenchmark.run(records: argument(1, 200_000), batchSize: argument(2, 1000), senders: argument(3, 4), directory: directory)
default:
    print("usage: DriftLoopBenchmarks controller|detectors|feedback [numbers...]")
    exit(2)
}
