import ArgumentParser
import DriftLoop
import Foundation

struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Check and draw declared pipelines.", subcommands: [Validate.self, Graph.self])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a pipeline file; every problem is printed as file:line:column. Exit 1 when one is found.")
        @Argument(help: "Pipeline YAML file(s).") var files: [String]
        @Flag(help: "Do not check that the local data files the pipeline names exist and can be read.") var noData = false

        func run() throws {
            var failed = false
            for file in self.files {
                do {
                    let pipeline = try PipelineLoader.load(path: file)
                    var note = ""
                    if !self.noData {
                        let data = DeclaredDataCheck.check(pipeline.data)
                        if !data.problems.isEmpty { throw DiagnosticsError(data.problems) }
                        if !data.remote.isEmpty {
                            note = "; not checked here: " + data.remote.map { "\($0.key) \($0.location)" }.joined(separator: ", ")
                        }
                    }
                    print("\(file): ok (pipeline \(pipeline.name), \(pipeline.states.count) states, initial \(pipeline.initialState)\(note))")
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data((String(describing: error) + "\n").utf8))
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a pipeline's state machine as Mermaid.")
        @Argument(help: "Pipeline name (in pipelines_dir) or a path to its YAML file.") var name: String
        @OptionGroup var configOptions: ConfigOptions

        func run() throws {
            let path: String
            if self.name.hasSuffix(".yaml") || self.name.hasSuffix(".yml") {
                path = self.name
            } else {
                let config = try self.configOptions.load()
                path = (config.pipelinesDirectory as NSString).appendingPathComponent("\(self.name).yaml")
            }
            do {
                print(MermaidGraph.render(try PipelineLoader.load(path: path)), terminator: "")
            } catch {
                throw CLIError(error.description)
            }
        }
    }
}
