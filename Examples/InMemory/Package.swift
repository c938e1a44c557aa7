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
            dependencies: [
                .product(name: "SSLMemModel", package: "SSLMem"), .product(name: "SSLMemHDF5", package: "SSLMem"),
                .product(name: "SSLMemIO", package: "SSLMem"),
                .product(name: "SSLMemCore", package: "SSLMem"), .product(name: "SSLMemStats", package: "SSLMem"),
                .product(name: "SSLMemAnalysis", package: "SSLMem"), .product(name: "SSLMemPlot", package: "SSLMem"),
                .product(name: "SSLMemFigures", package: "SSLMem"), .product(name: "SSLMemReport", package: "SSLMem"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
