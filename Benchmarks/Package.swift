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
    ]
)
