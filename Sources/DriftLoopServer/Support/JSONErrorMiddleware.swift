import DriftLoop
import Hummingbird
import Logging

/// Gives every error response a JSON body: unknown routes, Hummingbird's own errors, and anything unexpected
/// (logged, answered as a 500 that reveals nothing internal).
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : (error.status == .methodNotAllowed ? "method_not_allowed" : "http_error")
            let message = error.status == .notFound ? "no route for \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            throw APIError(error.status, code: code, message: message)
        } catch let error as any HTTPResponseError {
            throw APIError(error.status, code: "http_error", message: error.status.reasonPhrase)
        } catch {
            if let reason = StoreAvailability.unavailableReason(error) {
                // Nothing was committed, so the caller may send it again; Alertmanager and most webhook senders retry a 503.
                context.logger.error("the store is unavailable", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
                throw APIError(.serviceUnavailable, code: "store_unavailable", message: reason)
            }
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError(.internalServerError, code: "internal_error", message: "the request failed inside driftloop; see the server log")
        }
    }
}
