// swift-tools-version:6.0
import PackageDescription

/// Layers, each importing only those below it:
/// C bindings (CHDF5, CDeflate, CGSL, CCairo, CBLAS) and C kernels (CKernels)  → SSLMemIO (layout-v1 files) →
/// SSLMemCore (alignment, memorization); SSLMemStats (pure statistics, on GSL) →
/// SSLMemAnalysis (the paper's tests and comparisons on scores) → `sslmem` (CLI).
let package = Package(
    name: "SSLMem",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sslmem", targets: ["sslmem"]),
        .library(name: "SSLMemCore", targets: ["SSLMemCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CKernels"),
        .target(name: "SSLMemIO", dependencies: ["CHDF5", "CDeflate"]),
        .target(name: "SSLMemCore", dependencies: ["SSLMemIO", "CBLAS", "CKernels"]),
        .target(name: "SSLMemStats", dependencies: ["CGSL"]),
        .target(name: "SSLMemAnalysis", dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats"]),
        .target(name: "SSLMemPlot", dependencies: ["CCairo"]),
        .target(name: "SSLMemFigures", dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot"]),
        .target(
            name: "SSLMemReport",
            dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures",
                           .product(name: "Mustache", package: "swift-mustache")]),
        .executableTarget(
            name: "sslmem",
            dependencies: [
                "SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures", "SSLMemReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "sslmem-bench", dependencies: ["SSLMemStats"]),
        .executableTarget(name: "sslmem-fuzz", dependencies: ["SSLMemStats"]),
        .testTarget(
            name: "SSLMemTests",
            dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures", "SSLMemReport", "CCairo"],
            exclude: ["Vectors"]),
    ],
    swiftLanguageModes: [.v6]
)
