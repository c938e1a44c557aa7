// swift-tools-version:6.0
import PackageDescription

// A package of its own that uses the toolkit's libraries, as another project would:
// `swift run` here scores two encoders held in memory. See README "Use it from Swift".
let package = Package(
    name: "InMemory",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "SSLMem", path: "../..")],
    targets: [
        .executableTarget(
            name: "InMemory",
            dependencies: [.product(name: "SSLMem", package: "SSLMem")])
    ],
    swiftLanguageModes: [.v6]
)
