/// How `prefetch` turns a list of ranges into requests.
package struct PrefetchOptions: Sendable, Equatable {
    /// Ranges closer than this are fetched as one request, gap included: a round trip costs more than
    /// reading a few extra KiB. Default 64 KiB.
    package var coalescingGap: Int
    /// Coalescing stops growing a request past this size, so large reads still run in parallel. Default 8 MiB.
    package var maxCoalescedBytes: Int
    /// Requests in flight at once. Default 4.
    package var maxConcurrentRequests: Int

    package init(coalescingGap: Int = 64 << 10, maxCoalescedBytes: Int = 8 << 20, maxConcurrentRequests: Int = 4) {
        self.coalescingGap = max(0, coalescingGap)
        self.maxCoalescedBytes = max(1, maxCoalescedBytes)
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
    }
}
