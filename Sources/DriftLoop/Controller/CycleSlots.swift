/// A cap on cycles running at once across all pipelines (`max_concurrent_cycles`), so an alert storm over many
/// pipelines never becomes a retrain storm. Cycles wait for a slot in the order they asked (first come, first
/// served; each pipeline has at most one cycle, so no pipeline can crowd the others out).
public actor CycleSlots {
    /// nil: no cap.
    public let limit: Int?
    private var held: Set<String> = []
    private var waiting: [(cycleId: String, continuation: CheckedContinuation<Void, Never>)] = []

    public init(limit: Int?) {
        self.limit = limit.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Waits until the cycle may run. Returns at once when there is no cap or the cycle already holds a slot.
    public func acquire(_ cycleId: String) async {
        guard let limit, !self.held.contains(cycleId) else { return }
        if self.held.count < limit {
            self.held.insert(cycleId)
            return
        }
        await withCheckedContinuation { continuation in self.waiting.append((cycleId, continuation)) }
    }

    /// Lets a cycle that is still queued stop waiting (its controller is stopping); it gets no slot.
    public func stopWaiting(_ cycleId: String) {
        if let index = self.waiting.firstIndex(where: { $0.cycleId == cycleId }) {
            self.waiting.remove(at: index).continuation.resume()
        }
    }

    public func release(_ cycleId: String) {
        guard self.held.remove(cycleId) != nil, !self.waiting.isEmpty else { return }
        let next = self.waiting.removeFirst()
        self.held.insert(next.cycleId)
        next.continuation.resume()
    }

    public var running: Int { self.held.count }
    public var queued: Int { self.waiting.count }
}
