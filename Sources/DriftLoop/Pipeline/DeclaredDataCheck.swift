import DriftData
import Foundation

/// `pipeline validate` checks that the data a pipeline names is there: a file that does not exist or cannot be read
/// is a diagnostic at the key that names it, not a failed cycle later. Remote locations (http(s), S3) are left to
/// the cycle that reads them, which has the credentials; they are listed as not checked.
package enum DeclaredDataCheck {
    package struct Result: Sendable {
        package var problems: [Diagnostic] = []
        package var remote: [DataSettings.DeclaredLocation] = []
    }

    package static func check(_ data: DataSettings) -> Result {
        var result = Result()
        for declared in data.declaredFiles {
            let parsed: DataLocation
            do {
                parsed = try DataLocation(parsing: declared.location)
            } catch {
                result.problems.append(Diagnostic(declared.at, "`\(declared.key)`: \(error)"))
                continue
            }
            guard case .file(let path) = parsed else {
                result.remote.append(declared)
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                result.problems.append(Diagnostic(declared.at, "`\(declared.key)`: \(path) is a directory; name a CSV or Parquet file"))
                continue
            }
            do {
                _ = try TableLoader.leadingFormat(path)
            } catch {
                result.problems.append(
                    Diagnostic(
                        declared.at,
                        "`\(declared.key)`: cannot read \(path): \(Self.reason(error)); fix the path (relative paths start at the pipeline file's folder), or skip this check with --no-data"
                    ))
            }
        }
        return result
    }

    private static func reason(_ error: any Error) -> String {
        if case TableReadError.unreadable(_, let reason) = error { return reason }
        return "\(error)"
    }
}
