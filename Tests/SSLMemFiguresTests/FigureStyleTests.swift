import CCairo
import Foundation
import SSLMemAnalysis
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemTestSupport
import Testing

/// What issue 14 asks of the figures, checked on what they draw: a diverging map with its neutral colour at 0
/// for signed quantities, equal axes in Fig. 2a, Fig. 2b's panels on one x axis, x ticks that do not crowd,
/// unsmoothed small images in every format, and the venue widths in points.
@Suite(.serialized) struct FigureStyleTests {
    static let table = try! ScoresTable(csvFile: Repository.fixture("expected/simclr_allpairs_l2_range.csv"))

    /// The pixels of a PNG as native 0xAARRGGBB words, row by row (one flat array: debug builds are slow
    /// with nested arrays).
    struct Pixels {
        let width: Int, height: Int
        let words: [UInt32]
        init(png path: String) {
            let surface = cairo_image_surface_create_from_png(path)!
            defer { cairo_surface_destroy(surface) }
            width = Int(cairo_image_surface_get_width(surface))
            height = Int(cairo_image_surface_get_height(surface))
            let stride = Int(cairo_image_surface_get_stride(surface))
            let data = cairo_image_surface_get_data(surface)!
            let w = width
            let h = height
            var words = [UInt32](repeating: 0, count: w * h)
            words.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    (data + y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { row in
                        for x in 0..<w { out[y * w + x] = row[x] }
                    }
                }
            }
            self.words = words
        }
        func dark(_ x: Int, _ y: Int) -> Bool {
            let v = words[y * width + x]
            return (v >> 16) & 0xFF < 70 && (v >> 8) & 0xFF < 70 && v & 0xFF < 70
        }
        /// Longest run of dark pixels down column x.
        func verticalRun(_ x: Int) -> Int {
            var best = 0
            var run = 0
            for y in 0..<height {
                run = dark(x, y) ? run + 1 : 0
                best = max(best, run)
            }
            return best
        }
        func horizontalRun(_ y: Int) -> Int {
            var best = 0
            var run = 0
            for x in 0..<width {
                run = dark(x, y) ? run + 1 : 0
                best = max(best, run)
            }
            return best
        }
        func count(near hex: UInt32, within tolerance: UInt32 = 6) -> Int {
            func close(_ a: UInt32, _ b: UInt32) -> Bool { (a > b ? a - b : b - a) <= tolerance }
            let r = hex >> 16 & 0xFF
            let g = hex >> 8 & 0xFF
            let b = hex & 0xFF
            var n = 0
            for v in words where close(v >> 16 & 0xFF, r) && close(v >> 8 & 0xFF, g) && close(v & 0xFF, b) { n += 1 }
            return n
        }
    }

    func render(_ figure: PaperFigure, _ formats: [FigureFormat] = [.png]) throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        try figure.write(to: directory.path, formats: formats)
        return (directory, directory.file(figure.name))
    }

    @Test func divergingMapIsNeutralAtZeroAndSymmetric() {
        #expect(Diverging.color(0) == Color(hex: 0xF7F7F7))
        #expect(Diverging.color(0, limit: 0.37) == Diverging.neutral)
        #expect(Diverging.color(-1) == Color(hex: 0x053061) && Diverging.color(1) == Color(hex: 0x67001F))
        #expect(Diverging.color(5) == Diverging.color(1) && Diverging.color(.nan) == Diverging.neutral)
        // Lightness falls monotonically away from 0 on both sides (grayscale print keeps |value|); the sign is hue.
        let steps = (0...20).map { Double($0) / 20 }
        for (a, b) in zip(steps, steps.dropFirst()) {
            #expect(Diverging.color(b).luminance < Diverging.color(a).luminance, "+\(b)")
            #expect(Diverging.color(-b).luminance < Diverging.color(-a).luminance, "−\(b)")
        }
        for t in steps.dropFirst(4) {
            #expect(
                Diverging.color(t).red > Diverging.color(t).blue && Diverging.color(-t).blue > Diverging.color(-t).red)
        }
        let scale = Diverging.symmetricScale([-0.2, 0.5, .nan])
        #expect(scale.lower == -0.5 && scale.upper == 0.5 && scale.fraction(0) == 0.5)
    }

    /// Widths in points (1/72 in) and the venue type sizes documented at `FigureWidth`.
    @Test func venueWidthsInPoints() {
        #expect(FigureWidth.single.points == 234 && FigureWidth.double.points == 486)
        for venue in [FigureWidth.Venue.neurips, .iclr] {
            #expect(
                FigureWidth(.single, venue: venue).points == 396 && FigureWidth(.double, venue: venue).points == 396)
        }
        #expect(FigureWidth(.single, venue: .icml).points == 234 && FigureWidth(.double, venue: .icml).points == 486)
        let venue = Style(width: FigureWidth(.double, venue: .neurips))
        #expect(venue.tickSize == 8 && venue.labelSize == 9 && venue.titleSize == 9)
        #expect(Style(width: .single).tickSize == 7)
        #expect(FigureWidth.single.isNarrow && !FigureWidth(.single, venue: .iclr).isNarrow)
    }

    /// Kendall heatmaps: each pair once, without the diagonal (τ = 1 by definition: RdBu's red end only in
    /// the colour bar), τ ≈ 0 near the neutral white; no viridis yellow anywhere.
    @Test func kendallHeatmapsAreDiverging() throws {
        let other = try ScoresTable(csvFile: Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"))
        let figure = PaperFigure.kendallHeatmap(
            try RunComparison([Self.table, other], names: ["a", "b"]), width: .single)
        let (directory, base) = try render(figure)
        defer { directory.remove() }
        let pixels = Pixels(png: base + ".png")
        let total = pixels.width * pixels.height
        #expect(pixels.count(near: 0x67001F) < total / 100, "no τ = 1 diagonal cells (issue 26)")
        let offDiagonal = Diverging.color(Double(figure.rows[1][2])!)
        let hex =
            UInt32(offDiagonal.red * 255 + 0.5) << 16 | UInt32(offDiagonal.green * 255 + 0.5) << 8
            | UInt32(offDiagonal.blue * 255 + 0.5)
        #expect(
            offDiagonal.luminance > 0.8 && pixels.count(near: hex, within: 3) > total / 20, "τ ≈ 0 cells near white")
        #expect(pixels.count(near: 0xFDE725, within: 20) == 0, "no viridis")
    }

    /// Fig. 2a: one scale on both axes and a square plot area — the drawn left and bottom axis lines are
    /// equally long — by subset (default) and by score.
    @Test(arguments: [ScatterColoring.subset, .score], [FigureWidth.single, .double])
    func alignmentScatterHasEqualAxes(coloring: ScatterColoring, width: FigureWidth) throws {
        let figure = PaperFigure.alignmentScatter(Self.table, width: width, coloring: coloring)
        let (directory, base) = try render(figure)
        defer { directory.remove() }
        let pixels = Pixels(png: base + ".png")
        let vertical = (0..<pixels.width / 2).map(pixels.verticalRun).max()!
        let horizontal = (pixels.height / 2..<pixels.height).map(pixels.horizontalRun).max()!
        #expect(abs(vertical - horizontal) <= 3, "axis lines \(vertical) px high, \(horizontal) px wide")
        #expect(Double(vertical) > 0.5 * Double(pixels.height), "a plot area, not a sliver")
        #expect(figure.caption.contains(coloring == .subset ? "coloured by subset" : "coloured by SSLMem score"))
    }

    /// Fig. 2b: the gap panel and the loss panel start at the same x (one left axis line column).
    @Test func trainingPanelsShareTheXAxis() throws {
        let series = try TrainingSeries(
            checkpoints: Repository.fixture("checkpoints"),
            logs: [Repository.fixture("log_simclr_f.json"), Repository.fixture("log_simclr_g.json")])
        let figure = PaperFigure.memorizationOverEpochs(series, width: .single)
        let (directory, base) = try render(figure)
        defer { directory.remove() }
        let pixels = Pixels(png: base + ".png")
        // Columns holding a long dark vertical run in the upper and in the lower part of the figure.
        func spineColumns(_ rows: Range<Int>) -> [Int] {
            (0..<pixels.width / 2).filter { x in
                var best = 0
                var run = 0
                for y in rows {
                    run = pixels.dark(x, y) ? run + 1 : 0
                    best = max(best, run)
                }
                return best > rows.count / 4
            }
        }
        let upper = spineColumns(0..<pixels.height / 2)
        let lower = spineColumns(pixels.height * 2 / 3..<pixels.height)
        #expect(!upper.isEmpty && upper == lower, "left axis lines at columns \(upper) and \(lower)")
        #expect(
            figure.rows.contains { $0[0] == "loss: f (trained on S_C)" }
                && figure.rows.contains { $0[0] == "loss: g (trained on S_I)" })
    }

    /// Score distribution: the x axis spans the scores (5% margins), not [−1, 1].
    @Test func scoreDistributionFitsTheData() {
        let figure = PaperFigure.scoreDistribution(Self.table, width: .single)
        let grid = figure.rows.map { Double($0[0])! }
        let low = Self.table.score.min()!
        let high = Self.table.score.max()!
        let span = high - low
        #expect(abs(grid.first! - (low - 0.05 * span)) < 1e-12 && abs(grid.last! - (high + 0.05 * span)) < 1e-12)
    }

    /// Removal figure at double width (three panels of ~160 pt): x tick labels at least two paddings apart.
    @Test func crowdedTicksAreThinned() throws {
        final class Box: @unchecked Sendable { var ticks: [[Double]] = [] }
        let box = Box()
        let style = Style(width: .double)
        let figure = Figure(width: 160, height: 120) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: 160, height: 120),
                x: Scale(0, 20000), y: Scale(0, 1), xLabel: "points removed", yLabel: "accuracy",
                xTicks: [0, 2500, 5000, 7500, 10000, 12500, 15000, 17500, 20000])
            box.ticks.append(axes.xTicks)
            let widths = axes.xTicks.map {
                canvas.measure(Ticks.labels(axes.xTicks)[axes.xTicks.firstIndex(of: $0)!], size: style.tickSize).width
            }
            for i in axes.xTicks.indices.dropFirst() {
                #expect(
                    axes.px(axes.xTicks[i]) - axes.px(axes.xTicks[i - 1]) >= (widths[i] + widths[i - 1]) / 2 + 2
                        * style.padding)
            }
        }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try figure.write(to: directory.file("t.png"), format: .png)
        #expect(box.ticks.count == 1 && box.ticks[0].count < 9 && box.ticks[0].contains(0))
    }

    /// Small images stay sharp: every SVG <image> is pixelated, every PDF image has /Interpolate false.
    @Test func smallImagesAreNotSmoothed() throws {
        let images = try ImagesFile(path: Repository.fixture("images.h5"))
        let figure = try PaperFigure.memorizedImages(Self.table, images: images, most: true, width: .single)
        let (directory, base) = try render(figure, [.svg, .pdf])
        defer { directory.remove() }
        let svg = try String(contentsOfFile: base + ".svg", encoding: .utf8)
        let tags = svg.components(separatedBy: "<image ").count - 1
        #expect(tags > 0 && svg.components(separatedBy: "<image style=\"image-rendering:pixelated\"").count - 1 == tags)
        let pdf = String(decoding: try Data(contentsOf: URL(fileURLWithPath: base + ".pdf")), as: UTF8.self)
        let pictures = pdf.components(separatedBy: "/Subtype /Image").count - 1
        #expect(pictures > 0 && pdf.components(separatedBy: "/Interpolate false").count - 1 == pictures)
    }
}
