import CurlHTTP
import Foundation
import Testing

@testable import DriftLoop

/// Issue 21 item 19: an answer cut off mid-way (a partial body or chunk, an empty reply, a reset) is a transport
/// failure worth a retry, for trainers, registries and Prometheus alike; it used to fail the cycle at once.
@Suite struct CutAnswerTests {
    static let client = CurlHTTPClient()

    @Test(arguments: CuttingServer.Cut.allCases)
    func curlCallsEachCutTransientAndSaysTheAnswerBrokeOff(_ cut: CuttingServer.Cut) async throws {
        let server = try CuttingServer(cut)
        do {
            _ = try await Self.client.send(CurlHTTP.HTTPRequest(url: server.baseURL + "/x", timeout: .seconds(10)))
            Issue.record("\(cut): expected a transfer error")
        } catch let error as CurlError {
            #expect(error.isTransient, "\(cut): curl error \(error.code) \(error.message)")
            #expect(error.brokeOff, "\(cut): curl error \(error.code) \(error.message)")
        }
    }

    @Test(arguments: CuttingServer.Cut.allCases)
    func everyPeerRetriesACutAnswer(_ cut: CuttingServer.Cut) async throws {
        let server = try CuttingServer(cut)
        let trainer = HTTPTrainer(baseURL: server.baseURL, client: Self.client)
        await #expect { _ = try await trainer.status(jobId: "job-1") } throws: { error in
            let failure = try #require(error as? TrainerError)
            return failure.isTransient && failure.message.contains("broke off its answer")
        }
        let jenkins = JenkinsClient(baseURL: server.baseURL, user: nil, token: nil, requestTimeout: .seconds(10), client: Self.client)
        await #expect { _ = try await jenkins.get("/api/json") } throws: { error in
            let failure = try #require(error as? TrainerError)
            return failure.isTransient && failure.message.contains("Jenkins at \(server.baseURL) broke off its answer")
        }
        let registry = MLflowRegistry(
            settings: MLflowSettings(url: server.baseURL, useStages: false, requestTimeout: .seconds(10)), championAlias: "champion",
            authentication: .none, client: Self.client)
        await #expect { _ = try await registry.champion(model: "churn") } throws: { error in
            let failure = try #require(error as? RegistryError)
            return failure.isTransient && failure.message.contains("MLflow at \(server.baseURL) broke off its answer")
        }
        let prometheus = PrometheusQueryClient(baseURL: server.baseURL, token: nil, client: Self.client)
        await #expect { _ = try await prometheus.values("up") } throws: { error in
            let failure = try #require(error as? PrometheusQueryClient.QueryError)
            return failure.isTransient && failure.message.contains("broke off its answer")
        }
    }
}
