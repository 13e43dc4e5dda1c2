import Foundation

/// The controller's own folders (data directory, trainer jobs and models, registry): owner-only, because they hold
/// data locations, models learnt from the data, and the store. A folder made by an earlier version with wider
/// permissions is narrowed.
package enum PrivateDirectory {
    package static func create(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var status = stat()
        if stat(path, &status) == 0, status.st_uid == getuid(), status.st_mode & 0o077 != 0 {
            chmod(path, 0o700)
        }
    }
}
