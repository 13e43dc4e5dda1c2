/// Whether this controller may move a pipeline's cycles now: the pipeline is not paused, and, with several
/// replicas, this replica holds its lease. Cancels pass a pause (a paused pipeline can still be emptied) but not a
/// lease held elsewhere.
package actor PipelineGate {
    private var paused: Set<String>
    private let leases: LeaseKeeper?

    package init(paused: Set<String> = [], leases: LeaseKeeper? = nil) {
        self.paused = paused
        self.leases = leases
    }

    package func mayRun(_ pipeline: String, cancelling: Bool = false) async -> Bool {
        if !cancelling, self.paused.contains(pipeline) { return false }
        guard let leases else { return true }
        return await leases.owns(pipeline)
    }

    /// Returns the pipelines that were paused and no longer are.
    @discardableResult
    package func setPaused(_ pipelines: Set<String>) -> Set<String> {
        let resumed = self.paused.subtracting(pipelines)
        self.paused = pipelines
        return resumed
    }

    package func pause(_ pipeline: String) { self.paused.insert(pipeline) }
    package func resume(_ pipeline: String) { self.paused.remove(pipeline) }
}
