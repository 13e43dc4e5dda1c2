import Foundation
import Synchronization

/// Cookies set by servers, kept per host for the lifetime of one client.
///
/// Jenkins binds its CSRF crumb to the session cookie, so the client must send back what it was given.
/// Expiry and path scoping are not tracked: the jar lives as long as one controller's client.
final class CookieJar: Sendable {
    private let cookiesByHost = Mutex<[String: [String: String]]>([:])

    func cookieHeader(forHost host: String) -> String? {
        let cookies = self.cookiesByHost.withLock { $0[host] } ?? [:]
        guard !cookies.isEmpty else { return nil }
        return cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    func store(setCookieHeaders: [String], host: String) {
        guard !setCookieHeaders.isEmpty else { return }
        self.cookiesByHost.withLock { jar in
            for header in setCookieHeaders {
                let pair = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
                let value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { continue }
                jar[host, default: [:]][name] = value
            }
        }
    }
}
