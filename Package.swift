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
  // Every package of the graph at the exact version the project is tested with, so a fresh clone
  // builds the same code as CI (Package.resolved is not committed). To move one: change its version
  // here or in Pins/Package.swift, run `swift package update`, then scripts/test.
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
    // Already in Hummingbird's graph; named so the simulator can import them directly.
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    // The client's TLS (the simulator's server uses it too), and the certificates the tests make
    // for https on loopback.
    .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
    .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
    .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
    // The rest of the graph, pinned in a package of its own (Pins/Package.swift says why).
    .package(path: "Pins"),
  ],
  targets: [
    // C shim over libedit (opened at run time, for the interactive shell only): fixed-arity wrappers
    // for its variadic functions, and the REPL's signal plumbing.
    .target(name: "CEditLine"),
    // What every layer shares: rows and values, durations, display width, wire timestamps, JSON.
    .target(name: "Vocabulary", dependencies: [.product(name: "Pins", package: "Pins")], swiftSettings: strict),
    .target(
      name: "ScanAPI",
      dependencies: [
        "Vocabulary", .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOTLS", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
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
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
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
      dependencies: [
        "CPseudoTerminal", "Simulator", "ScanAPI", .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"), .product(name: "SwiftASN1", package: "swift-asn1"),
      ],
      path: "Tests/TestSupport",
      swiftSettings: strict
    ),
    .testTarget(
      name: "ScanAPITests",
      dependencies: ["ScanAPI", "Vocabulary", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
      resources: [.copy("Fixtures")], swiftSettings: strict),
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
