import CCairo
import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every figure of the fixtures renders to a valid PDF (one page, fonts
/// embedded), PNG (300 dpi, not blank) and SVG (well-formed XML), with the same
/// PNG and SVG bytes on a second rendering.
@Suite(.serialized) struct FigureFileTests {
    static func figures(width: FigureWidth) throws -> [PaperFigure] {
        let table = try ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))
        let other = try ScoresTable(csvFile: Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"))
        let images = try ImagesFile(path: Repository.fixture("images.h5"))
        let audit = try MembershipAudit(table)
        let attack = try DejaVuAttack(
            f: RepresentationsFile(path: Repository.fixture("simclr_f.h5")),
            g: RepresentationsFile(path: Repository.fixture("simclr_g.h5")), k: 20)
        let series = try TrainingSeries(
            checkpoints: Repository.fixture("checkpoints"),
            logs: [Repository.fixture("log_simclr_f.json"), Repository.fixture("log_simclr_g.json")])
        return [
            .scoreDistribution(table, width: width), .alignmentScatter(table, width: width),
            .thresholdCurve(table, width: width),
            PaperFigure.classMeans(table, classNames: images.classNames, width: width)!,
            try .memorizedImages(table, images: images, most: true, width: width),
            try .memorizedImages(table, images: images, most: false, width: width),
            .memorizationOverEpochs(series, width: width),
            .kendallHeatmap(try RunComparison([table, other], names: ["simclr", "vicreg"]), width: width),
            .removal(try RemovalResults(csvFile: Repository.fixture("removal_example.csv")), width: width),
            .dejaVuAccuracy(attack, width: width),
            .membershipROC(audit, logLog: false, width: width), .membershipROC(audit, logLog: true, width: width),
            .membershipSignal(audit, width: width),
            .sweep(
                name: "sweep", attribute: "epoch", values: [8, 26, 53, 80], means: [0.01, -0.1, 0, 0.02],
                deviations: [nil, 0.02, nil, 0.01], quantity: "mean candidate SSLMem", caption: "test", width: width)
        ]
    }

    /// Rows of a figure's CSV known from the fixtures themselves: 800 points, 10 classes in images.h5, 30 rows in
    /// removal_example.csv, 2 × 2 runs in the Kendall heatmap, 4 sweep values.
    static let independentRowCounts = [
        "alignment_scatter": 800, "class_means": 10, "removal": 30,
        "kendall_heatmap": 4, "sweep": 4
    ]

    /// Width, height, number of distinct colours of a PNG and the share of its (sampled) pixels that are not the
    /// most frequent colour (the background), read back with Cairo.
    func pngInfo(_ path: String) -> (width: Int, height: Int, colors: Int, inked: Double) {
        let surface = cairo_image_surface_create_from_png(path)!
        defer { cairo_surface_destroy(surface) }
        let w = Int(cairo_image_surface_get_width(surface))
        let h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var counts: [UInt32: Int] = [:]
        for y in Swift.stride(from: 0, to: h, by: 3) {
            for x in Swift.stride(from: 0, to: w, by: 3) {
                counts[
                    (data + y * stride + 4 * x).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee },
                    default: 0] += 1
            }
        }
        let total = counts.values.reduce(0, +)
        let background = counts.values.max() ?? 0
        return (w, h, counts.count, total == 0 ? 0 : Double(total - background) / Double(total))
    }

    @Test(arguments: FigureWidth.allCases)
    func everyFigureRendersValidFiles(width: FigureWidth) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let figures = try Self.figures(width: width)
        #expect(figures.count == 14)
        for figure in figures {
            try figure.write(to: directory.path, formats: FigureFormat.allCases)
            let base = directory.file(figure.name)
            let pdf = try Data(contentsOf: URL(fileURLWithPath: base + ".pdf"))
            let text = String(decoding: pdf, as: UTF8.self)
            #expect(text.hasPrefix("%PDF-"), "\(figure.name)")
            let pages =
                text.components(separatedBy: "/Type /Page").count - text.components(separatedBy: "/Type /Pages").count
            #expect(pages == 1, "\(figure.name): one page")
            #expect(text.contains("/FontFile"), "\(figure.name): fonts embedded")
            let png = pngInfo(base + ".png")
            #expect(abs(Double(png.width) - figure.figure.width * Figure.pixelsPerPoint) <= 1, "\(figure.name)")
            #expect(figure.figure.width <= width.points, "\(figure.name) wider than the column")
            #expect(png.colors > 8, "\(figure.name): too few colours")
            #expect(
                png.inked > 0.01, "\(figure.name) looks blank: \(png.inked) of the pixels differ from the background")
            let parser = XMLParser(contentsOf: URL(fileURLWithPath: base + ".svg"))!
            #expect(parser.parse(), "\(figure.name).svg is not well-formed")
            let csv = try String(contentsOfFile: base + ".csv", encoding: .utf8)
            // Rows of the data CSV, where the fixtures fix their number (not the figure object's own count).
            let lines = csv.split(separator: "\n")
            let columns = lines.first?.split(separator: ",", omittingEmptySubsequences: false).count ?? 0
            #expect(lines.count >= 2 && columns >= 2, "\(figure.name).csv holds no data")
            #expect(
                lines.dropFirst().allSatisfy {
                    $0.split(separator: ",", omittingEmptySubsequences: false).count == columns
                },
                "\(figure.name).csv: ragged rows")
            if let rows = Self.independentRowCounts[figure.name] {
                #expect(lines.count - 1 == rows, "\(figure.name).csv: \(lines.count - 1) rows, expected \(rows)")
            }
        }
    }

    @Test func pngAndSvgBytesAreDeterministic() throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        defer {
            first.remove()
            second.remove()
        }
        for directory in [first, second] {
            for figure in try Self.figures(width: .single) {
                try figure.write(to: directory.path, formats: [.png, .svg])
            }
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: first.path) {
            #expect(FileManager.default.contentsEqual(atPath: first.file(name), andPath: second.file(name)), "\(name)")
        }
    }
}
