import Hummingbird
import NIOCore

/// `GET /metrics` in Prometheus' text format, and a middleware timing every API request.
struct MetricsRoutes: Sendable {
    var metrics: DriftLoopMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { _, _ in
            let text = await self.metrics.exposition()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

/// Records `driftloop_http_request_duration_seconds` by method, route pattern (not the raw path, so ids do not
/// explode the series) and status.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: DriftLoopMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            self.metrics.httpRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: Int(response.status.code),
                duration: ContinuousClock.now - start)
            return response
        } catch let error as any HTTPResponseError {
            self.metrics.httpRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: Int(error.status.code),
                duration: ContinuousClock.now - start)
            throw error
        } catch {
            self.metrics.httpRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: 500, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
