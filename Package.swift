// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
  name: "scansh",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "scansh", targets: ["scansh"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    // Already in Hummingbird's graph; named so the simulator can import them directly.
    .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    // C shim over libedit: fixed-arity wrappers for its variadic functions.
    .target(name: "CEditLine", linkerSettings: [.linkedLibrary("edit")]),
    // What every layer shares: rows and values, durations, display width, wire timestamps, JSON.
    .target(name: "Vocabulary", swiftSettings: strict),
    .target(
      name: "ScanAPI",
      dependencies: ["Vocabulary", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strict
    ),
    .target(name: "QueryLanguage", dependencies: ["Vocabulary"], swiftSettings: strict),
    .target(
      name: "QueryEngine", dependencies: ["QueryLanguage", "ScanAPI", "Vocabulary"], swiftSettings: strict),
    .target(name: "Formatters", dependencies: ["Vocabulary"], swiftSettings: strict),
    .target(
      name: "Simulator",
      dependencies: [
        "ScanAPI", "Vocabulary",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "Shell",
      dependencies: ["QueryEngine", "QueryLanguage", "ScanAPI", "Formatters", "CEditLine", "Vocabulary"],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "scansh",
      dependencies: [
        "Shell", "Simulator", "Formatters", "QueryLanguage", "ScanAPI", "Vocabulary",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    // In-process measurements for scripts/bench.
    .executableTarget(
      name: "scansh-bench", dependencies: ["Shell", "ScanAPI", "Vocabulary"], path: "Sources/ScanshBench",
      swiftSettings: strict),
    // Test support: a pseudo-terminal spawner (C) and helpers that start the simulator.
    .target(name: "CPseudoTerminal", path: "Tests/CPseudoTerminal"),
    .target(
      name: "TestSupport",
      dependencies: ["CPseudoTerminal", "Simulator", "ScanAPI"],
      path: "Tests/TestSupport",
      swiftSettings: strict
    ),
    .testTarget(
      name: "ScanAPITests", dependencies: ["ScanAPI", "Vocabulary", "TestSupport"], resources: [.copy("Fixtures")],
      swiftSettings: strict),
    .testTarget(
      name: "SimulatorTests",
      dependencies: [
        "Simulator", "ScanAPI", "Vocabulary", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(name: "QueryLanguageTests", dependencies: ["QueryLanguage"], swiftSettings: strict),
    .testTarget(name: "VocabularyTests", dependencies: ["Vocabulary"], swiftSettings: strict),
    .testTarget(
      name: "QueryEngineTests", dependencies: ["QueryEngine", "QueryLanguage", "ScanAPI", "Vocabulary", "TestSupport"],
      swiftSettings: strict),
    .testTarget(name: "FormattersTests", dependencies: ["Formatters", "ScanAPI", "Vocabulary"], swiftSettings: strict),
    .testTarget(
      name: "ShellTests",
      dependencies: [
        "Shell", "QueryEngine", "QueryLanguage", "ScanAPI", "Formatters", "Simulator", "Vocabulary", "TestSupport",
      ],
      swiftSettings: strict),
    .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Simulator"], swiftSettings: strict),
  ]
)
