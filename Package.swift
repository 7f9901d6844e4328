// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Accord",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BusinessTime", targets: ["BusinessTime"]),
        .library(name: "AccordCore", targets: ["AccordCore"]),
        .library(name: "AccordMail", targets: ["AccordMail"]),
        .library(name: "AccordStore", targets: ["AccordStore"]),
        .library(name: "AccordServer", targets: ["AccordServer"]),
        .executable(name: "accord", targets: ["accord"]),
        .executable(name: "accord-mailgate", targets: ["accord-mailgate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        // Child processes (the sendmail transport, and the tests' servers and reference programs)
        // without Foundation's Process, whose launch on Linux can crash a process with many open
        // descriptors (it over-reads /proc/self/fd entries; swift-corelibs-foundation #5472).
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        .target(
            name: "BusinessTime",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AccordCore",
            dependencies: [
                "BusinessTime",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Presets/Resources")],
            swiftSettings: swiftSettings
        ),
        // MIME: reading (and, with email, composing) messages and multipart bodies. Pure: no I/O, fuzzed.
        .target(
            name: "AccordMail",
            dependencies: ["BusinessTime"],
            exclude: ["HTML/Generation"],
            swiftSettings: swiftSettings
        ),
        // A mail server's delivery agent: options, the exit-status contract, plain HTTP over a socket.
        // The standard library only, so that a process per message starts in a millisecond.
        .target(
            name: "AccordMailGate",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "accord-mailgate",
            dependencies: ["AccordMailGate"],
            swiftSettings: swiftSettings,
            // Linked statically: no dynamic loader's work at each start (about 3 ms of CPU of 4).
            linkerSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux]))]
        ),
        .target(
            name: "AccordStore",
            dependencies: [
                "AccordCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AccordServer",
            dependencies: [
                "AccordStore",
                "AccordMail",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            // The API's OpenAPI document; the web desk's Leaf templates and its stylesheet and script.
            resources: [.copy("Resources"), .copy("Web/Templates"), .copy("Web/Assets")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "accord",
            dependencies: [
                "AccordCore",
                "AccordServer",
                "AccordMailGate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // What several test targets share: running child processes (servers, Python's references).
        .target(
            name: "AccordTestSupport",
            dependencies: [.product(name: "Subprocess", package: "swift-subprocess")],
            path: "Tests/AccordTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BusinessTimeTests",
            dependencies: [
                "BusinessTime",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordCoreTests",
            dependencies: [
                "AccordCore",
                "AccordTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordMailTests",
            dependencies: [
                "AccordMail",
                "AccordTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordMailGateTests",
            dependencies: ["AccordMailGate", "AccordTestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AccordServerTests",
            dependencies: [
                "AccordServer",
                "AccordTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "accordTests",
            dependencies: ["accord", "AccordTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
