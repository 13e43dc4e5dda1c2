// swift-tools-version: 6.1
import PackageDescription

// The benchmarks, apart from the product so that `swift build` at the top does not compile them. Run from the
// repository: `swift run --package-path Benchmarks -c release DriftLoopBenchmarks controller 200 100`.
let package = Package(
    name: "driftloop-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "driftloop", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "DriftLoopBenchmarks",
            dependencies: [
                .product(name: "DriftLoop", package: "driftloop"),
                .product(name: "DriftLoopServer", package: "driftloop"),
                .product(name: "DriftStats", package: "driftloop"),
                .product(name: "CurlHTTP", package: "driftloop"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ]
)
