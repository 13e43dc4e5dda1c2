import Foundation

/// The folders a trainer's `file://` model may come from. A trainer's report is not trusted: a Jenkins artifact
/// saying `model_uri: file:///etc/hostname` would otherwise have that file copied into the registry and promoted.
/// Other schemes (`runs:/`, `s3://`, `http(s)://`) are recorded, never read from the controller's disk.
public struct ModelRoots: Sendable, Equatable, CustomStringConvertible {
    /// Absolute, symlink-resolved folders.
    package let directories: [String]

    package init(_ directories: [String]) {
        var seen = Set<String>()
        self.directories = directories.map { Self.resolved($0) }.filter { seen.insert($0).inserted }
    }

    public var description: String { self.directories.joined(separator: ", ") }

    /// Throws unless `uri` is not a local file, or is a file under one of the roots once `..` and links are resolved.
    package func check(_ uri: String) throws(ModelLocationError) {
        let path: String
        if uri.hasPrefix("file:") {
            guard let url = URL(string: uri), url.isFileURL, !url.path.isEmpty else { throw ModelLocationError(uri: uri, roots: self) }
            path = url.path
        } else if uri.hasPrefix("/") || !uri.contains(":") {
            path = uri
        } else {
            return
        }
        let resolved = Self.resolved(path)
        guard self.directories.contains(where: { resolved.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw ModelLocationError(uri: uri, roots: self)
        }
    }

    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        guard let real = realpath(absolute, nil) else { return URL(fileURLWithPath: absolute).standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real)
    }
}

/// A trainer reported a model file outside the configured roots.
package struct ModelLocationError: Error, Sendable, CustomStringConvertible {
    package var uri: String
    package var roots: ModelRoots

    package var description: String {
        "the trainer reported a model at \(LogText.escape(String(self.uri.prefix(300)))), outside the folders models may come from (\(self.roots)); "
            + "if that folder is right, add it to the pipeline's trainer.model_roots"
    }
}
