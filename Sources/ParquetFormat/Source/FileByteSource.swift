#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``ParquetByteSource`` over a local file, read with `pread` so that concurrent reads of
/// different ranges need no shared file position.
package final class FileByteSource: ParquetByteSource {
    package let size: Int
    package let path: String
    private let descriptor: Int32

    /// Opens `path` read-only. Errors name the path.
    package init(path: String) throws(ParquetError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot open: \(Self.describeErrno())", fileName: path)
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let message = Self.describeErrno()
            close(fd)
            throw ParquetError(.io, "cannot stat: \(message)", fileName: path)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ParquetError(.io, "not a regular file", fileName: path)
        }
        self.descriptor = fd
        self.size = Int(status.st_size)
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    package func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.io, "read of \(count) bytes at \(offset) is outside the \(size)-byte file", fileName: path)
        }
        // Filled before it is returned; the closure reports how much was initialized.
        var failure: ParquetError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got > 0 {
                    done += got
                } else if got == 0 {
                    failure = ParquetError(.io, "file shrank while reading: end of file at \(offset + done)", fileName: path)
                    break
                } else if errno != EINTR {
                    failure = ParquetError(.io, "read failed: \(Self.describeErrno())", fileName: path)
                    break
                }
            }
            initializedCount = done
        }
        if let failure { throw failure }
        return bytes
    }

    private static func describeErrno() -> String {
        String(cString: strerror(errno))
    }
}
