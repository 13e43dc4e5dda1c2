import Foundation

/// A replica's default name in the leases.
package enum ReplicaIdentity {
    /// Host name and listen port: stable across restarts, so a replica killed and started again takes its own leases
    /// back at once, and distinct for replicas on one host. With port 0 (any free port) the process id is added.
    package static func defaultId(listenPort: Int) -> String {
        let host = ProcessInfo.processInfo.hostName
        return listenPort == 0 ? "\(host):pid\(ProcessInfo.processInfo.processIdentifier)" : "\(host):\(listenPort)"
    }
}
