/// A cap on cycles running at once across all pipelines (`max_concurrent_cycles`), so an alert storm over many
/// pipelines never becomes a retrain storm. Cycles get slots in the order they were queued (first come, first
/// served; each pipeline has at most one cycle, so no pipeline can crowd the others out).
package actor CycleSlots {
    /// nil: no cap.
    package let limit: Int?
    private var held: Set<String> = []
    /// In queue order; the continuation is set once the cycle's task waits.
    private var waiting: [(cycleId: String, continuation: CheckedContinuation<Void, Never>?)] = []

    package init(limit: Int?) {
        self.limit = limit.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Takes the cycle's place in the queue (or a free slot) now, before its task starts, so the order is the
    /// order of acceptance rather than of task scheduling.
    package func enqueue(_ cycleId: String) {
        guard let limit, !self.held.contains(cycleId), !self.waiting.contains(where: { $0.cycleId == cycleId }) else { return }
        if self.held.count < limit {
            self.held.insert(cycleId)
        } else {
            self.waiting.append((cycleId, nil))
        }
    }

    /// Waits until the cycle holds a slot. Returns at once when there is no cap.
    package func acquire(_ cycleId: String) async {
        guard self.limit != nil else { return }
        self.enqueue(cycleId)
        guard !self.held.contains(cycleId), let index = self.waiting.firstIndex(where: { $0.cycleId == cycleId }) else { return }
        await withCheckedContinuation { continuation in self.waiting[index].continuation = continuation }
    }

    /// Lets a cycle that is still queued stop waiting (its controller is stopping); it gets no slot.
    package func stopWaiting(_ cycleId: String) {
        if let index = self.waiting.firstIndex(where: { $0.cycleId == cycleId }) {
            self.waiting.remove(at: index).continuation?.resume()
        }
    }

    package func release(_ cycleId: String) {
        guard self.held.remove(cycleId) != nil, !self.waiting.isEmpty else { return }
        let next = self.waiting.removeFirst()
        self.held.insert(next.cycleId)
        next.continuation?.resume()
    }

    package var running: Int { self.held.count }
    package var queued: Int { self.waiting.count }
}
