import CurlHTTP
import Foundation
import Testing

@testable import DriftLoop

/// TLS to trainers and registries is verified: a server whose certificate no trusted CA signed is refused, and a
/// pipeline's `ca_file` makes a private CA trusted for that trainer or registry only.
@Suite struct TLSVerificationTests {
    /// A certificate for 127.0.0.1 that no system CA signed, and an https server using it.
    static func startServer(_ directory: TemporaryDirectory) async throws -> (ChildServer, cert: String) {
        let cert = directory.file("cert.pem"), key = directory.file("key.pem")
        let openssl = try TestProcess(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=driftloop-test-ca",
                "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
            ])
        try #require(await openssl.exitStatus(within: 60) == 0, "openssl could not make a certificate: \(openssl.text)")
        let server = try await ChildServer(
            python: "/usr/bin/python3", script: ChildServer.repositoryRoot + "/Tests/DriftLoopTests/Fixtures/tls/https_stub.py",
            arguments: ["--cert", cert, "--key", key], portFile: directory.file("port"), log: directory.file("stub.log"))
        return (server, cert)
    }

    static func pipeline(_ directory: TemporaryDirectory, port: Int, caFile: String?) throws -> PipelineDefinition {
        let ca = caFile.map { ", ca_file: \($0)" } ?? ""
        let yaml =
            TestData.pipelineYAML(trainer: "{kind: http, url: \"https://127.0.0.1:\(port)\"\(ca)}")
            + "\nregistry: {kind: mlflow, url: \"https://127.0.0.1:\(port)\"\(ca)}\n"
        return try TestData.pipeline(yaml, directory: directory)
    }

    @Test func anUntrustedCertificateIsRefusedAndCAFileTrustsIt() async throws {
        let directory = TemporaryDirectory()
        let (server, cert) = try await Self.startServer(directory)
        defer { server.stop() }
        let shared = CurlHTTPClient()

        let untrusted = try Self.pipeline(directory, port: server.port, caFile: nil)
        let refusedTrainer = TrainerFactory.make(
            untrusted.trainer, builtin: BuiltinTrainerAccess(url: "", token: ""), environment: [:], client: shared)
        let trainerError = await #expect(throws: (any Error).self) { try await refusedTrainer.status(jobId: "j1") }
        #expect("\(trainerError.map { "\($0)" } ?? "")".lowercased().contains("certificate"), "\(String(describing: trainerError))")
        let refusedRegistry = RegistryFactory.make(
            untrusted.registry, builtin: BuiltinRegistry(directory: directory.file("r")), environment: [:], client: shared)
        await #expect(throws: (any Error).self) { try await refusedRegistry.champion(model: "m") }

        let trusted = try Self.pipeline(directory, port: server.port, caFile: cert)
        let trainer = TrainerFactory.make(trusted.trainer, builtin: BuiltinTrainerAccess(url: "", token: ""), environment: [:], client: shared)
        #expect(try await trainer.status(jobId: "j1").status == .running)
        let registry = RegistryFactory.make(
            trusted.registry, builtin: BuiltinRegistry(directory: directory.file("r")), environment: [:], client: shared)
        #expect(try await registry.champion(model: "m") == nil, "MLflow's answer (no such model) arrived over verified TLS")
        // The shared client still trusts only the system's CAs.
        await #expect(throws: (any Error).self) { try await refusedTrainer.status(jobId: "j1") }
    }

    @Test func aCAFileThatIsNotAPEMBundleIsNamedWithItsPosition() throws {
        let directory = TemporaryDirectory()
        let notPEM = directory.write("ca.txt", "hello\n")
        let error = #expect(throws: DiagnosticsError.self) { try Self.pipeline(directory, port: 1, caFile: notPEM) }
        #expect(error.map { "\($0)" }?.contains("ca_file` must name a readable PEM file") == true, "\(String(describing: error))")
    }
}
