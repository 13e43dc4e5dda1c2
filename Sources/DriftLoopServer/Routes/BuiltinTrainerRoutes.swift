import DriftLoop
import Foundation
import HTTPTypes
import Hummingbird

/// The built-in trainer's HTTP protocol (the same one any HTTP trainer speaks): `POST /train`, `GET /jobs/{id}`.
///
/// Every route but `/healthz` needs the trainer's bearer token, checked from the headers before any body is read:
/// loopback is no boundary between local users or sidecars, and a job's answers name data locations.
struct BuiltinTrainerRoutes: Sendable {
    var service: BuiltinTrainingService
    var authorizer: BearerTokenAuthorizer
    var bodies: RequestBodyDecoder

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.post("/train") { request, _ in
            try self.authorizer.authorize(request, role: .trigger)
            let data = try await self.bodies.data(request)
            let body = try self.bodies.decode(TrainingRequest.self, from: data)
            let digest = TrainingRequestDigest.digest(of: body)
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? body.cycleId
            let submission: BuiltinTrainingService.Submission
            do throws(TrainingSubmitError) {
                submission = try await self.service.submit(body, idempotencyKey: key, requestDigest: digest)
            } catch .refused(let refusal) {
                let status: HTTPResponse.Status = refusal.field.hasPrefix("params") || refusal.field == "Idempotency-Key" ? .badRequest : .forbidden
                throw APIError(status, code: status == .forbidden ? "not_declared" : "invalid_field", message: refusal.message, field: refusal.field)
            } catch .conflict(let job) {
                throw APIError(
                    .conflict, code: "idempotency_conflict",
                    message: "job \(job) was created under this idempotency key from a different request; a key names one request only",
                    field: "Idempotency-Key")
            } catch .notStored {
                throw APIError(.internalServerError, code: "job_not_stored", message: "the job could not be stored; see the trainer's log")
            }
            switch submission {
            case .created(let status, let digest):
                return try JSONResponse.make(StartAnswer(job: status.job, status: status.status.rawValue, requestDigest: digest), status: .accepted)
            case .existing(let status, let digest):
                return try JSONResponse.make(StartAnswer(job: status.job, status: status.status.rawValue, requestDigest: digest), status: .ok)
            }
        }
        router.get("/jobs/:id") { request, context in
            try self.authorizer.authorize(request, role: .read)
            let id = try context.parameters.require("id")
            guard let status = await self.service.status(jobId: id) else { throw APIError.notFound("no training job with that id", field: "id") }
            return try JSONResponse.make(status)
        }
    }

    private struct StartAnswer: Encodable {
        var job: String
        var status: String
        var requestDigest: String

        enum CodingKeys: String, CodingKey {
            case job, status
            case requestDigest = "request_digest"
        }
    }
}
