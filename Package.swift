// swift-tools-version:6.0
import PackageDescription

// Layers, lowest first: CProcessShims -> SystemClock, ProcessSignals; CSocketShims -> Sockets ->
// HTTPServer; CLibPQ -> Postgres (beside HTTP); CCrypto, CZlib, CTLS -> SystemCrypto; JSON ->
// ReadinessContract -> ReadinessScoring, which do no I/O; ReadinessApp wires them; the agent uses
// the contract, not scoring; `readiness` is a thin executable. Each C module is imported by the
// one module that wraps it (docs/architecture.md).

// The request path of the socket and HTTP layers: each loop's objects are used by its own thread
// only, and no access to their state overlaps another. Release builds drop the runtime's check of
// that on every class-property access (15 calls, about 13% of the instructions of a GET /healthz
// under callgrind); debug builds, which run the tests, keep it and trap on a violation.
let requestPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "readiness",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "readiness", targets: ["readiness"]),
        .executable(name: "readiness-agent", targets: ["readiness-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // 1.16: `LogHandler.log(event:)`, which BufferedLog implements.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // `GET /metrics` in Prometheus' text format (NIO-free: swift-metrics and swift-atomics only).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // The process's clock, its signal handler and its allocator setting, beneath everything else.
        .target(name: "CProcessShims"),
        // `MonotonicTime`: the deadlines of sockets, HTTP, the reflector and the agent's probes.
        .target(name: "SystemClock", dependencies: ["CProcessShims"]),
        // SIGTERM / SIGINT turned into a call on an ordinary thread (graceful shutdown).
        .target(name: "ProcessSignals", dependencies: ["CProcessShims"]),
        // Large allocations handed back to the kernel when freed (glibc's mmap threshold).
        .target(name: "ProcessMemory", dependencies: ["CProcessShims"]),
        // epoll / accept4 / eventfd are not exposed by Glibc's module; this shim is the socket layer's C.
        .target(name: "CSocketShims"),
        .target(name: "Sockets", dependencies: ["CSocketShims", "SystemClock"], swiftSettings: requestPathSettings),
        .target(
            name: "HTTPServer",
            dependencies: ["JSON", "Sockets", "SystemClock", "ProcessSignals", .product(name: "Logging", package: "swift-log")],
            swiftSettings: requestPathSettings
        ),
        // The process's log: formatted where logged, written in batches by a thread of its own.
        .target(
            name: "BufferedLog",
            dependencies: ["Sockets", "UTCCalendar", .product(name: "Logging", package: "swift-log")]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", "UTCCalendar", "UUIDText", .product(name: "Logging", package: "swift-log")]
        ),
        // The system's libcrypto: token hashing and generation without building a crypto package.
        // Imported only by SystemCrypto, as are CZlib and CTLS.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        // The system's zlib: agents may gzip their uploads.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The system's libssl: the agent's TLS-inspection and wss:// probes need the raw handshake.
        .systemLibrary(
            name: "CTLS",
            pkgConfig: "libssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        // libcrypto, libssl and zlib behind Swift types, as Postgres wraps libpq: digests, random
        // bytes, inflation, the WebSocket accept value and a client TLS session on memory BIOs.
        .target(name: "SystemCrypto", dependencies: ["CCrypto", "CZlib", "CTLS"]),
        // Outbound HTTP/1.1 over our sockets and SystemCrypto's TLS: the agent's uploads and
        // probes, and the service's webhooks (one-shot requests with a total timeout).
        .target(name: "HTTPClient", dependencies: ["Sockets", "SystemClock", "SystemCrypto"]),
        // Days since 1970 <-> Gregorian dates: the one UTC calendar below everything that counts days.
        .target(name: "UTCCalendar"),
        // The one parser of a UUID's hyphenated text: for JSON members, probe results and PostgreSQL's uuid_out.
        .target(name: "UUIDText"),
        // JSON beneath the contract, scoring and HTTP: the strict tape parser, the writer, one JSONValue,
        // JSON Pointer, RFC 3339 times.
        .target(name: "JSON", dependencies: ["UTCCalendar", "UUIDText"]),
        // The wire contract between agents and the service: probe-result/v1 (decoding, validation,
        // canonical form and its writer) and the agent plan. No I/O; the agent needs only this.
        .target(name: "ReadinessContract", dependencies: ["JSON", "UUIDText"]),
        // Policy, evaluation, assessment, compact forms and changes. Pure: no bundle, no file
        // reads; the application hands it the bundled policy's bytes.
        .target(name: "ReadinessScoring", dependencies: ["JSON", "ReadinessContract"]),
        // STUN (RFC 8489) Binding messages for the reflector and the agent: pure Swift, no I/O.
        .target(name: "STUN"),
        // The UDP reflector agents probe: STUN Binding answers and delayed answers, rate-limited.
        .target(
            name: "STUNReflector",
            dependencies: ["STUN", "Sockets", "SystemClock", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "ReadinessApp",
            dependencies: [
                "HTTPServer", "HTTPClient", "JSON", "Postgres", "ReadinessContract", "ReadinessScoring", "SystemCrypto", "Sockets",
                "SystemClock", "STUNReflector",
                "BufferedLog", "ProcessMemory",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The shipped default policy (sococo v1), read by `BundledPolicy`.
            resources: [.copy("Policies/Bundled")]
        ),
        .executableTarget(
            name: "readiness",
            dependencies: [
                "ReadinessApp", "BufferedLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The reference agent: probes, result assembly, spool and upload. No HTTPServer, no Postgres.
        .target(name: "ReadinessAgent", dependencies: ["HTTPClient", "Sockets", "SystemClock", "STUN", "JSON", "ReadinessContract", "SystemCrypto"]),
        .executableTarget(
            name: "readiness-agent",
            dependencies: ["ReadinessAgent", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmarks are executables run by scripts/bench-*.sh, never by `swift test`.
        // `ReadinessApp` for the group statement's parameters (the lane's types' `package` members).
        .executableTarget(
            name: "readiness-bench-domain",
            dependencies: ["JSON", "ReadinessContract", "ReadinessScoring", "Postgres", "SystemCrypto", "ReadinessApp"]
        ),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Sockets"]),
        .testTarget(name: "UTCCalendarTests", dependencies: ["UTCCalendar"]),
        .testTarget(name: "BufferedLogTests", dependencies: ["BufferedLog", .product(name: "Logging", package: "swift-log")]),
        // What several test targets share: a fresh database per test on the `make test` cluster.
        .target(
            name: "ReadinessTestSupport",
            dependencies: ["Postgres", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support"
        ),
        // The whole service on a loopback port over a fresh database: for the app's and the agent's tests.
        .target(
            name: "ReadinessServiceTestSupport",
            dependencies: ["ReadinessApp", "Postgres", "ReadinessTestSupport", .product(name: "Logging", package: "swift-log")],
            path: "Tests/ServiceSupport"
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "ReadinessTestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        // The contract's example upload and an optimal result, shared by the contract's and scoring's tests.
        .target(name: "ReadinessContractFixtures", dependencies: ["ReadinessContract"], path: "Tests/ContractFixtures"),
        .testTarget(name: "ReadinessContractTests", dependencies: ["JSON", "ReadinessContract", "ReadinessContractFixtures", "UUIDText"]),
        .testTarget(
            name: "ReadinessScoringTests",
            dependencies: ["JSON", "ReadinessContract", "ReadinessScoring", "ReadinessContractFixtures"]
        ),
        .testTarget(name: "STUNTests", dependencies: ["STUN"]),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets", "SystemClock"]),
        .testTarget(name: "SystemCryptoTests", dependencies: ["SystemCrypto"]),
        .testTarget(
            name: "HTTPClientTests",
            dependencies: ["HTTPClient", "HTTPServer", "Sockets", "SystemClock", "SystemCrypto", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "SystemClockTests", dependencies: ["SystemClock"]),
        .testTarget(name: "ProcessSignalsTests", dependencies: ["ProcessSignals"]),
        .testTarget(name: "STUNReflectorTests", dependencies: ["STUNReflector", "STUN", "Sockets", "SystemClock"]),
        .testTarget(
            name: "ReadinessAgentTests",
            dependencies: [
                "ReadinessAgent", "HTTPClient", "JSON", "ReadinessContract", "Sockets", "SystemClock", "SystemCrypto", "STUN", "ReadinessApp", "Postgres",
                "ReadinessTestSupport", "ReadinessServiceTestSupport",
            ]
        ),
        .testTarget(
            name: "ReadinessAppTests",
            dependencies: [
                "ReadinessApp", "HTTPServer", "HTTPClient", "JSON", "Postgres", "ReadinessContract", "ReadinessScoring", "ReadinessTestSupport", "ReadinessServiceTestSupport",
                "STUN", "STUNReflector", "Sockets", "SystemClock", "SystemCrypto", "BufferedLog",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
