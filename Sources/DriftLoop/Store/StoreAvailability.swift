import GRDB
import PostgresNIO

/// Tells a store that cannot write now (disk full, database down or restarting) from a bug, so the API can answer
/// 503 and the caller can retry: nothing was accepted, and nothing half-written was kept.
package enum StoreAvailability {
    /// A sentence for the caller when `error` means the store is unavailable; nil for any other error.
    package static func unavailableReason(_ error: any Error) -> String? {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL: return "the SQLite store's disk is full; free space on it, then retry"
            case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY:
                return "the SQLite store cannot write to its disk (\(error.resultCode)); check the disk, then retry"
            case .SQLITE_BUSY, .SQLITE_LOCKED: return "the SQLite store is busy; retry"
            default: return nil
            }
        }
        if let error = error as? PostgresStoreError {
            switch error {
            case .unreachable, .failed: return "the PostgreSQL store is unavailable (\(error)); retry"
            case .badURL, .newerSchema: return nil
            }
        }
        if error is PSQLError { return "the PostgreSQL store is unavailable; retry" }
        return nil
    }
}
