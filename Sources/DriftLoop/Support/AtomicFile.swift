import Foundation

/// Writes a file so that readers see the old content or the new, never a half-written one.
package enum AtomicFile {
    /// `permissions` is the new file's mode; the default, owner-only, suits the controller's data files (registry
    /// indexes, training jobs, models), which hold data locations and what was learnt from the data.
    package static func write(_ data: Data, to path: String, permissions: Int = 0o600) throws {
        let temporary = path + ".tmp-\(UUID().uuidString.prefix(8))"
        errno = 0
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: permissions]) else {
            let reason = errno == 0 ? "the write failed" : String(cString: strerror(errno))
            // A full disk leaves a partial temporary file: remove it, so nothing half-written stays behind.
            try? FileManager.default.removeItem(atPath: temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
        // fsync before rename, or a crash could leave an empty file under the final name.
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try handle.synchronize()
            try handle.close()
        }
        if rename(temporary, path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}

/// A file could not be written; says which and why (`No space left on device`, `Permission denied`).
package struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var reason: String
    package var description: String { "cannot write \(self.path): \(self.reason)" }
}
