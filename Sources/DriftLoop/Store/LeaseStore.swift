import Foundation

/// Leases that give each pipeline's cycles to one replica at a time, in a store several replicas share.
package protocol LeaseStore: Sendable {
    /// Renews the leases `owner` holds among `pipelines` and takes the free or expired ones, until `ttl` from now in the
    /// store's clock. Returns every pipeline `owner` holds afterwards.
    func claimLeases(owner: String, pipelines: [String], ttl: Duration) async throws -> Set<String>
    /// Gives up `owner`'s leases at once (a graceful stop), so another replica need not wait for them to expire.
    func releaseLeases(owner: String, pipelines: [String]) async throws
    /// Current holders, for the API and tests.
    func leaseHolders() async throws -> [String: String]
}
