// swift-tools-version: 6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "driftloop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "driftloop", targets: ["driftloop"]),
        // For the benchmarks, a package of their own (Benchmarks/Package.swift), so a plain build does not compile them.
        .library(name: "DriftLoop", targets: ["DriftLoop"]),
        .library(name: "DriftLoopServer", targets: ["DriftLoopServer"]),
        .library(name: "DriftStats", targets: ["DriftStats"]),
        .library(name: "CurlHTTP", targets: ["CurlHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CurlHTTP",
            dependencies: ["CCurl"],
            swiftSettings: upcoming
        ),
        // The statistics alone: drift tests, stream detectors, performance metrics. No file, network or HTML.
        .target(
            name: "DriftStats",
            swiftSettings: upcoming
        ),
        // The HTML page that explains a drift report.
        .target(
            name: "DriftReport",
            dependencies: ["DriftStats"],
            swiftSettings: upcoming
        ),
        // S3 and S3-compatible object storage (SigV4 through libcurl), and range reads over any http(s) server.
        .target(
            name: "ObjectStorage",
            dependencies: ["CurlHTTP"],
            swiftSettings: upcoming
        ),
        // Parquet's page codecs, from Debian's C libraries (one system library each, so a missing one is named with
        // its apt package).
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),
        .target(
            name: "ParquetFormat",
            dependencies: ["CSnappy", "CZstd", "CZlib", "CLZ4", "CBrotli"],
            swiftSettings: upcoming
        ),
        // Tables from where data lives: CSV, Parquet (local, http(s), S3) and the column schema file.
        .target(
            name: "DriftData",
            dependencies: ["DriftStats", "ParquetFormat", "CurlHTTP", "ObjectStorage"],
            swiftSettings: upcoming
        ),
        .target(
            name: "DriftLoop",
            dependencies: [
                "DriftStats",
                "DriftData",
                "CurlHTTP",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "DriftLoopServer",
            dependencies: [
                "DriftLoop",
                "DriftStats",
                "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "driftloop",
            dependencies: [
                "DriftLoop",
                "DriftData",
                "DriftReport",
                "ParquetFormat",
                "DriftLoopServer",
                "DriftStats",
                "CurlHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming,
            // The Swift toolchain exports every symbol of an executable (48,000 here), which nothing looks up; the
            // runtime's start-up dladdr then scans them all, and the loader pages them in. Measured (release, whole
            // process, 100 interleaved pairs, 2026-12-07): a `drift` run on the bundled churn files 17 ms exported
            // against 16 ms (x1.08). BENCHMARKS.md, "Start-up tricks".
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "CurlHTTPTests",
            dependencies: [
                "CurlHTTP",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What several test targets share: running long CPU-bound checks off the cooperative pool.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "ParquetFormatTests",
            dependencies: ["ParquetFormat", "TestSupport"],
            // Read through #filePath, so the copies stay plain files in the repository.
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DriftDataTests",
            dependencies: ["DriftData", "DriftStats", "DriftReport", "ParquetFormat", "CurlHTTP", "ObjectStorage", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage",
                "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "DriftStatsTests",
            // DriftData reads the fixtures' CSV files as Evidently's pandas would.
            dependencies: ["DriftStats", "DriftData"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DriftLoopTests",
            dependencies: [
                "DriftLoop",
                "DriftStats",
                "DriftLoopServer",
                "CurlHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Read through #filePath, so the copies stay plain files in the repository.
            exclude: ["Fixtures"]
        ),
    ]
)
