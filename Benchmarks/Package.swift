// swift-tools-version: 6.1
import PackageDescription

// The benchmarks live in a package of their own so that `swift test` at the root never builds
// the benchmark harness. Run from this folder: `swift package benchmark`.
let package = Package(
    name: "AccordBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Accord", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "AccordBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BusinessTime", package: "Accord"),
                .product(name: "AccordCore", package: "Accord"),
            ],
            path: "Benchmarks/AccordBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The mail parser over a corpus of typical support mail (compare with Python/email_parse.py).
        .executableTarget(
            name: "MailBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AccordMail", package: "Accord"),
            ],
            path: "Benchmarks/MailBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // One SLA monitor pass over a desk of 1,000,000 open cases on SQLite and (with
        // ACCORD_BENCH_POSTGRES) PostgreSQL.
        .executableTarget(
            name: "MonitorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AccordCore", package: "Accord"),
                .product(name: "AccordStore", package: "Accord"),
                .product(name: "BusinessTime", package: "Accord"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/MonitorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
