import DriftLoop
import DriftLoopServer

/// Why `serve` or `demo` could not start listening, said so a user can act on it.
enum ServerStartFailure {
    /// The CLI error for a server that stopped before it was ready: a taken port names the address and the way out;
    /// anything else is passed on as it is.
    static func cliError(_ error: any Error, listen: ListenAddress, configFile: String) -> any Error {
        if let start = error as? ServerStartError { return CLIError(start.message) }
        let text = String(describing: error)
        // Found before start, or by NIO after it, whose IOError text carries the errno (98 is EADDRINUSE on Linux).
        if error is ListenAddressInUse || text.contains("Address already in use") || text.contains("errno: 98") {
            return CLIError(
                "\(listen) is already in use by another process; stop that process, or set `listen:` in \(configFile) to a free address, e.g. \(listen.host):\(listen.port + 1)"
            )
        }
        return error
    }
}
