#if canImport(Glibc)
// `stdout` is a C global the strict checker cannot see is safe; it is read once here, on the main task, before
// anything else prints.
@preconcurrency import Glibc
#endif

/// Standard output written line by line even into a pipe or a file (the C library buffers whole blocks there), so a
/// redirected long-running command shows its progress as it happens.
enum LineBufferedOutput {
    static func enable() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
