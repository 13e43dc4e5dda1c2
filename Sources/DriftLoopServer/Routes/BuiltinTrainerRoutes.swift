import HTTPTypes
import DriftLoop
import Foundation
import Hummingbird

/// The built-in trainer's HTTP protocol (the same one any HTTP trainer speaks): `POST /train`, `GET /jobs/{id}`.
struct BuiltinTrainerRoutes: Sendable {
    var service: BuiltinTrainingService
    var bodies: RequestBodyDecoder

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.post("/train") { request, _ in
            let body = try await self.bodies.decode(TrainingRequest.self, from: request)
            let key = request.headers[HTTPField.Name("Idempotency-Key")!] ?? body.cycleId
            do {
                let (status, created) = try await self.service.submit(body, idempotencyKey: key)
                return try JSONResponse.make(["job": status.job, "status": status.status.rawValue], status: created ? .accepted : .ok)
            } catch {
                throw APIError(.internalServerError, code: "job_not_stored", message: "the job could not be stored: \(error)")
            }
        }
        router.get("/jobs/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let status = await self.service.status(jobId: id) else { throw APIError.notFound("no training job `\(id)`", field: "id") }
            return try JSONResponse.make(status)
        }
    }
}
