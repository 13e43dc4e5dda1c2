import PostgresNIO

/// PostgreSQL store failures, saying what failed and what to check. Never carries the password or bound values.
package enum PostgresStoreError: Error, Sendable, CustomStringConvertible {
    case badURL(String)
    case unreachable(String)
    case newerSchema(String)
    case failed(String, String)

    package var description: String {
        switch self {
        case .badURL(let why): "the PostgreSQL URL is not usable: \(why)"
        case .unreachable(let why): "cannot reach PostgreSQL: \(why); check the server is up and the URL's host, port, user and password"
        case .newerSchema(let name):
            "the database has migration \"\(name)\" that this driftloop does not know: it was written by a newer version; upgrade driftloop"
        case .failed(let operation, let why): "PostgreSQL could not \(operation): \(why)"
        }
    }

    /// The server's message and SQLSTATE when there is one; PSQLError's own description hides both.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
