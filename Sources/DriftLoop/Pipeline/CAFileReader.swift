import Foundation

/// Reads a `ca_file:` (a PEM bundle of trusted certificate authorities), relative to the pipeline file.
enum CAFileReader {
    static func read(_ node: YAMLNode, baseDirectory: String, reader: inout YAMLReader) -> String? {
        guard let path = reader.string(node) else { return nil }
        let resolved = PathResolution.resolve(path, relativeTo: baseDirectory)
        guard let text = try? String(contentsOfFile: resolved, encoding: .utf8), text.contains("-----BEGIN CERTIFICATE-----") else {
            reader.fail(node, "`\(node.path)` must name a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----); \(resolved) is not one")
            return nil
        }
        return resolved
    }
}
