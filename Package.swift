// swift-tools-version:6.0
import PackageDescription

/// Layers, each importing only those below it:
/// C bindings (CHDF5, CDeflate, CLZF, CGSL, CCairo, CBLAS) and C kernels (CKernels); SSLMemModel (the data model:
/// subsets, per-point tables, the error type, run summaries, the parallel loop; no C), below IO, Stats and Plot →
/// SSLMemHDF5 (the generic HDF5 binding: files, datasets, groups, attributes, the one serialized path into
/// libhdf5, the parallel row-block reader) → SSLMemIO (layout-v1 files, scores files, .mat, safe outputs) →
/// SSLMemCore (alignment, memorization); SSLMemStats (pure statistics, on GSL) →
/// SSLMemAnalysis (the paper's tests and comparisons on scores) → `sslmem` (CLI).
let package = Package(
    name: "SSLMem",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sslmem", targets: ["sslmem"]),
        .library(name: "SSLMemModel", targets: ["SSLMemModel"]),
        .library(name: "SSLMemHDF5", targets: ["SSLMemHDF5"]),
        .library(name: "SSLMemIO", targets: ["SSLMemIO"]),
        .library(name: "SSLMemCore", targets: ["SSLMemCore"]),
        .library(name: "SSLMemStats", targets: ["SSLMemStats"]),
        .library(name: "SSLMemAnalysis", targets: ["SSLMemAnalysis"]),
        .library(name: "SSLMemPlot", targets: ["SSLMemPlot"]),
        .library(name: "SSLMemFigures", targets: ["SSLMemFigures"]),
        .library(name: "SSLMemReport", targets: ["SSLMemReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // `make docs`: `swift package generate-documentation` for every library product (build-time only).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CKernels"),
        .systemLibrary(name: "CLZF", pkgConfig: "liblzf", providers: [.apt(["liblzf-dev"])]),
        .target(name: "SSLMemModel"),
        .target(name: "SSLMemHDF5", dependencies: ["SSLMemModel", "CHDF5", "CDeflate", "CLZF", "CKernels"]),
        .target(name: "SSLMemIO", dependencies: ["SSLMemModel", "SSLMemHDF5", "CDeflate", "CKernels"]),
        .target(name: "SSLMemCore", dependencies: ["SSLMemIO", "CBLAS", "CKernels"]),
        .target(name: "SSLMemStats", dependencies: ["SSLMemModel", "CGSL"]),
        .target(name: "SSLMemAnalysis", dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats"]),
        .target(name: "SSLMemPlot", dependencies: ["SSLMemModel", "CCairo"]),
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
            dependencies: ["SSLMemModel", "SSLMemHDF5", "SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures",
                           "SSLMemReport", "CCairo"],
            exclude: ["Vectors"]),
    ],
    swiftLanguageModes: [.v6]
)
