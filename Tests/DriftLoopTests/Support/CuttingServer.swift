import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server on 127.0.0.1 that reads each request and then breaks the exchange in one way, as a crashing or
/// overloaded peer or a proxy does. It runs on a thread of its own, with blocking sockets, off the cooperative pool.
final class CuttingServer: Sendable {
    enum Cut: String, Sendable, CaseIterable, CustomStringConvertible {
        /// A `Content-Length` of 1000 and 4 bytes of body, then close: curl's "partial file" (18).
        case partialBody
        /// A chunked answer whose chunk stops short, then close: "transfer closed with outstanding read data".
        case partialChunk
        /// Close without a byte of answer: curl's "empty reply" (52).
        case emptyReply
        /// Reset the connection (RST) once the request is read: a receive error (56).
        case reset
        var description: String { self.rawValue }
    }

    let port: Int
    private let listener: Int32

    init(_ cut: Cut) throws {
        let (listener, port) = try LoopbackSocket.bind(listening: 16)
        self.listener = listener
        self.port = port
        Thread.detachNewThread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }  // the listener was closed
                Self.readRequest(connection)
                Self.cut(connection, cut)
            }
        }
    }

    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    deinit {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    /// Reads up to the end of the headers and the body their `Content-Length` announces, or 2 s of silence.
    private static func readRequest(_ connection: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return }
            received += buffer[0..<count]
            let text = String(decoding: received, as: UTF8.self)
            guard let headerEnd = text.range(of: "\r\n\r\n") else { continue }
            let headers = text[..<headerEnd.lowerBound].lowercased()
            let announced =
                headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if text.utf8.count - text.utf8.distance(from: text.startIndex, to: headerEnd.upperBound) >= announced { return }
        }
    }

    private static func cut(_ connection: Int32, _ cut: Cut) {
        switch cut {
        case .partialBody:
            Self.write(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\"")
        case .partialChunk:
            Self.write(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"abc\":")
        case .emptyReply:
            break
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        close(connection)
    }

    private static func write(_ connection: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
