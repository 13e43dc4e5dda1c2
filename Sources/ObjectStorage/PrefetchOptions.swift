/// How `prefetch` turns a list of ranges into requests.
public struct PrefetchOptions: Sendable, Equatable {
    /// Ranges closer than this are fetched as one request, gap included: a round trip costs more than
    /// reading a few extra KiB. Default 64 KiB.
    public var coalescingGap: Int
    /// Coalescing stops growing a request past this size, so large reads still run in parallel. Default 8 MiB.
    public var maxCoalescedBytes: Int
    /// Requests in flight at once. Default 4.
    public var maxConcurrentRequests: Int

    public init(coalescingGap: Int = 64 << 10, maxCoalescedBytes: Int = 8 << 20, maxConcurrentRequests: Int = 4) {
        self.coalescingGap = max(0, coalescingGap)
        self.maxCoalescedBytes = max(1, maxCoalescedBytes)
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
    }
}
