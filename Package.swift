// swift-tools-version:6.0
import PackageDescription

/// The module graph. Each module imports only those it points to (→) and their dependencies, never one above it;
/// the C modules each serve one layer.
///
///     SSLMemSupport   the error type, the parallel loop, the rank rule, ordered JSON, NumberFormat, CSV (no SSL, no C)
///     SSLMemModel     → Support: the data types (subsets, per-point tables, views, attribute values)
///     SSLMemHDF5      → Model; CHDF5, CDeflate, CLZF, CIOKernels (float16): the generic libhdf5 binding, the one
///                       serialized path into libhdf5, the parallel row-block reader
///     SSLMemIO        → HDF5; CDeflate, CIOKernels (SHA-256): layout-v1 dumps, scores files (CSV, HDF5, .mat),
///                       safe outputs
///     SSLMemCore      → IO; CBLAS, CCoreKernels (exact distance and dot, the kNN screen; it uses CIOKernels'
///                       half conversions): alignment, the score, LayerMem and UnitMem, nearest neighbours
///     SSLMemStats     → Support; CGSL, CStatsKernels (the bootstrap's draws): pure statistics (t-tests,
///                       Kendall's τ-b, ROC, bootstrap, adjustments)
///     SSLMemAnalysis  → Core, Stats: the paper's tests and comparisons on scores, Déjà Vu, the audit, summary.json
///     SSLMemPlot      → Support; CCairo, CDeflate, CPlotKernels (PNG filter): figures that know nothing of SSL
///     SSLMemFigures   → Analysis, Plot: the paper's figures, each with its CSV
///     SSLMemReport    → Figures; Mustache: run, comparison and sweep reports (HTML, PDF, LaTeX)
///     SSLMem          → every library above, re-exported (`import SSLMem`, as swift-numerics' `Numerics`)
///     sslmem          → Report; ArgumentParser: the command line (parses, calls the libraries, prints)
///     sslmem-bench, sslmem-fuzz: drivers of `make bench` and `make fuzz`
///
/// Only SSLMem re-exports; a library imports every module whose names it uses. SSLMemSupport is a module of its
/// own, not `package` declarations in SSLMemModel: its types are public API of the layers above (JSONValue in
/// `--json` results, SSLMemError in every throwing call), and SSLMemStats and SSLMemPlot need it but not the data
/// model.
let package = Package(
    name: "SSLMem",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sslmem", targets: ["sslmem"]),
        // Every library at once: `import SSLMem` (the umbrella; each library is also a product of its own).
        .library(name: "SSLMem", targets: ["SSLMem"]),
        .library(name: "SSLMemSupport", targets: ["SSLMemSupport"]),
        .library(name: "SSLMemModel", targets: ["SSLMemModel"]),
        .library(name: "SSLMemHDF5", targets: ["SSLMemHDF5"]),
        .library(name: "SSLMemIO", targets: ["SSLMemIO"]),
        .library(name: "SSLMemCore", targets: ["SSLMemCore"]),
        .library(name: "SSLMemStats", targets: ["SSLMemStats"]),
        .library(name: "SSLMemAnalysis", targets: ["SSLMemAnalysis"]),
        .library(name: "SSLMemPlot", targets: ["SSLMemPlot"]),
        .library(name: "SSLMemFigures", targets: ["SSLMemFigures"]),
        .library(name: "SSLMemReport", targets: ["SSLMemReport"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        // `make docs`: `swift package generate-documentation` for every library product (build-time only).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0")
    ],
    targets: [
        // libhdf5, GSL and Cairo are linked from Debian's (and Ubuntu's) static archives (libhdf5-dev,
        // libgsl-dev, libcairo2-dev; `-l:name.a` needs a GNU-style linker), so only the objects sslmem calls
        // come in: the shared libhdf5 alone brings libcurl's chain of 28 libraries (for an S3 reader sslmem
        // never uses) and shared Cairo X11's, and loading 59 shared libraries was 17 ms of the 20 ms every
        // command paid before doing anything (bench/README.md). The archives' dependencies that the linked
        // objects need are listed where they are used (SSLMemHDF5, SSLMemStats, SSLMemPlot); libhdf5's
        // libcurl and libcrypto are not (only the S3 reader needs them), nor Cairo's X11 libraries. HDF5
        // filter plugins are not loaded (HDF5Library.prepare).
        .systemLibrary(name: "CHDF5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CGSL", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CCairo", providers: [.apt(["libcairo2-dev"])]),
        .target(name: "CBLAS", linkerSettings: [.linkedLibrary("dl")]),
        // Hand-written kernels, with versions for the CPU's vector extensions chosen at run time, one
        // module per layer that calls them.
        .target(name: "CIOKernels"),
        .target(name: "CCoreKernels", dependencies: ["CIOKernels"]),
        .target(name: "CPlotKernels"),
        .target(name: "CStatsKernels"),
        .systemLibrary(name: "CLZF", pkgConfig: "liblzf", providers: [.apt(["liblzf-dev"])]),
        .target(name: "SSLMemSupport"),
        .target(name: "SSLMemModel", dependencies: ["SSLMemSupport"]),
        .target(
            name: "SSLMemHDF5", dependencies: ["SSLMemModel", "CHDF5", "CDeflate", "CLZF", "CIOKernels"],
            linkerSettings: [
                .linkedLibrary(":libhdf5_serial.a"), .linkedLibrary("sz"), .linkedLibrary("z"),
                .linkedLibrary("m"), .linkedLibrary("dl")
            ]),
        .target(name: "SSLMemIO", dependencies: ["SSLMemModel", "SSLMemHDF5", "CDeflate", "CIOKernels"]),
        .target(name: "SSLMemCore", dependencies: ["SSLMemIO", "CBLAS", "CCoreKernels"]),
        .target(
            name: "SSLMemStats", dependencies: ["SSLMemSupport", "CGSL", "CStatsKernels"],
            linkerSettings: [.linkedLibrary(":libgsl.a"), .linkedLibrary(":libgslcblas.a"), .linkedLibrary("m")]),
        .target(name: "SSLMemAnalysis", dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats"]),
        .target(
            name: "SSLMemPlot", dependencies: ["SSLMemSupport", "CCairo", "CDeflate", "CPlotKernels"],
            linkerSettings: [
                .linkedLibrary(":libcairo.a"), .linkedLibrary("pixman-1"), .linkedLibrary("fontconfig"),
                .linkedLibrary("freetype"), .linkedLibrary("png16"), .linkedLibrary("z"), .linkedLibrary("m")
            ]),
        .target(
            name: "SSLMemFigures",
            dependencies: ["SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot"]),
        .target(
            name: "SSLMemReport",
            dependencies: [
                "SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures",
                .product(name: "Mustache", package: "swift-mustache")
            ]),
        .target(
            name: "SSLMem",
            dependencies: [
                "SSLMemSupport", "SSLMemModel", "SSLMemHDF5", "SSLMemIO", "SSLMemCore", "SSLMemStats",
                "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures", "SSLMemReport"
            ]),
        .executableTarget(
            name: "sslmem",
            dependencies: [
                "SSLMemIO", "SSLMemCore", "SSLMemStats", "SSLMemAnalysis", "SSLMemPlot", "SSLMemFigures",
                "SSLMemReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]),
        .executableTarget(name: "sslmem-bench", dependencies: ["SSLMemStats", "SSLMemCore", "SSLMemIO"]),
        .executableTarget(name: "sslmem-fuzz", dependencies: ["SSLMemSupport", "SSLMemStats"]),
        // Tests: one target per library (named after it), SSLMemCLITests for the command line, SSLMemTests for the
        // umbrella product; SSLMemTestSupport holds what they share (fixture paths, synthetic dumps, running sslmem).
        .target(
            name: "SSLMemTestSupport", dependencies: ["SSLMemModel", "SSLMemHDF5", "SSLMemIO", "SSLMemStats"],
            path: "Tests/SSLMemTestSupport"),
        .testTarget(name: "SSLMemSupportTests", dependencies: ["SSLMemSupport"]),
        .testTarget(name: "SSLMemHDF5Tests", dependencies: ["SSLMemHDF5", "SSLMemStats", "SSLMemTestSupport"]),
        .testTarget(name: "SSLMemIOTests", dependencies: ["SSLMemIO", "SSLMemTestSupport"]),
        .testTarget(
            name: "SSLMemCoreTests",
            dependencies: [
                "SSLMemCore", "SSLMemStats", "SSLMemTestSupport", "CCoreKernels",
                "CIOKernels", "CHDF5"
            ],
            exclude: ["Vectors"]),
        .testTarget(name: "SSLMemStatsTests", dependencies: ["SSLMemStats", "SSLMemTestSupport"], exclude: ["Vectors"]),
        .testTarget(name: "SSLMemAnalysisTests", dependencies: ["SSLMemAnalysis", "SSLMemTestSupport"]),
        .testTarget(name: "SSLMemPlotTests", dependencies: ["SSLMemPlot", "CPlotKernels", "CCairo"]),
        .testTarget(name: "SSLMemFiguresTests", dependencies: ["SSLMemFigures", "SSLMemTestSupport", "CCairo"]),
        .testTarget(name: "SSLMemReportTests", dependencies: ["SSLMemReport", "SSLMemTestSupport", "CIOKernels"]),
        .testTarget(name: "SSLMemCLITests", dependencies: ["SSLMemIO", "SSLMemTestSupport"]),
        .testTarget(name: "SSLMemTests", dependencies: ["SSLMem", "SSLMemTestSupport"])
    ],
    swiftLanguageModes: [.v6]
)
