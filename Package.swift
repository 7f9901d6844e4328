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
        .executable(name: "accord", targets: ["accord"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
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
        .executableTarget(
            name: "accord",
            dependencies: [
                "AccordCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
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
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "accordTests",
            dependencies: ["accord"],
            swiftSettings: swiftSettings
        ),
    ]
)
