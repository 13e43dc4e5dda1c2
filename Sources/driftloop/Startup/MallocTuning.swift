#if canImport(Glibc)
import Glibc
#endif

/// One of the tricks that keep a whole `driftloop drift` process short (this folder holds them; BENCHMARKS.md,
/// "Start-up tricks", has every figure and the commands that measure them again).
enum MallocTuning {
    /// The tests allocate and free arrays of a few megabytes per column. By default glibc maps each afresh and
    /// unmaps it on free, so every one costs page faults again; kept in the heap, the memory is reused. The process
    /// is short-lived, so holding on to it costs nothing. Measured gain (release, whole process, interleaved
    /// medians, 2026-12-07): 200,000 x 20 numerical 240 -> 205 ms (x1.18), 45,000 x 14 mixed 43 -> 37 ms.
    /// `mallopt` is looked up at run time because Swift's Glibc module does not include `<malloc.h>`.
    static func keepFreedMemory() {
        #if os(Linux)
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        // <malloc.h>: M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD -3; 32 MB is the largest threshold glibc accepts.
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
        let size: Int32 = 32 << 20
        _ = mallopt(mmapThreshold, size)
        _ = mallopt(trimThreshold, size)
        #endif
    }
}
