import SSLMemAnalysis
import SSLMemIO
import SSLMemPlot

extension PaperFigure {
    /// ROC curves of the membership audit's signals, on linear axes or (`logLog`)
    /// on log–log axes that show the low-FPR regime privacy audits care about;
    /// the dashed diagonal is chance.
    public static func membershipROC(_ audit: MembershipAudit, logLog: Bool, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let colors = [OkabeIto.blue, OkabeIto.vermillion]
        let n = audit.signals[0].roc.negatives
        let p = audit.signals[0].roc.positives
        let floorX = 1 / Double(n)
        let floorY = 1 / Double(p)
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.85 : 0.55)) { canvas in
            let kind: Scale.Kind = logLog ? .log : .linear
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: logLog ? Scale(floorX, 1, kind: kind).niced() : Scale(0, 1),
                y: logLog ? Scale(floorY, 1, kind: kind).niced() : Scale(0, 1),
                xLabel: "false positive rate (extra points)",
                yLabel: "true positive rate (candidates)")
            let diagonal = logLog ? [min(floorX, floorY), 1] : [0, 1]
            axes.line(diagonal, diagonal, color: .grey, width: style.axisWidth, dash: [3, 2])
            var drawn: [(Double, Double)] = []
            for (k, (signal, color)) in zip(audit.signals, colors).enumerated() {
                let xs = signal.roc.points.map { logLog ? max($0.falsePositiveRate, floorX / 2) : $0.falsePositiveRate }
                let ys = signal.roc.points.map { logLog ? max($0.truePositiveRate, floorY / 2) : $0.truePositiveRate }
                axes.line(xs, ys, color: color, width: style.lineWidth * 1.2, dash: k == 0 ? [4, 2] : [])
                drawn += zip(xs, ys).map { ($0, $1) }
            }
            Legend(
                zip(audit.signals, colors).enumerated().map { k, pair in
                    Legend.Entry(
                        "\(pair.0.name), AUC \(String(format: "%.3f", pair.0.roc.auc))", pair.1,
                        .pattern(k == 0 ? [4, 2] : []), rich: false)
                }
            ).draw(on: axes, avoiding: drawn)
        }
        var rows: [[String]] = []
        for signal in audit.signals {
            rows += signal.roc.points.map {
                [signal.name, csvNumber($0.threshold), csvNumber($0.falsePositiveRate), csvNumber($0.truePositiveRate)]
            }
        }
        return PaperFigure(
            name: logLog ? "membership_roc_loglog" : "membership_roc",
            caption: "Membership audit: ROC of −align_f and of the SSLMem score separating candidates (members of f) "
                + "from extra points (non-members)"
                + (logLog ? ", log–log axes (rates of 0 drawn at half the smallest step)." : "."),
            figure: figure, columns: ["signal", "threshold", "fpr", "tpr"], rows: rows)
    }

    /// Histograms of the SSLMem score of members (candidates) and non-members (extra).
    public static func membershipSignal(_ audit: MembershipAudit, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let signal = audit.signals[1]
        // Fits the data, not nice numbers.
        let range = Scale.covering(signal.members + signal.nonMembers, padding: 0.02)
        let bins = 30
        let edges = (0...bins).map { range.lower + Double($0) / Double(bins) * (range.upper - range.lower) }
        func density(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: bins)
            for v in values {
                counts[min(bins - 1, max(0, Int((v - range.lower) / (range.upper - range.lower) * Double(bins))))] += 1
            }
            let width = (range.upper - range.lower) / Double(bins)
            return counts.map { $0 / (Double(values.count) * width) }
        }
        let members = density(signal.members)
        let others = density(signal.nonMembers)
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.7 : 0.45)) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: range, y: Scale(0, (members + others).max()! * 1.15).niced(),
                xLabel: "SSLMem score", yLabel: "density")
            axes.histogram(edges: edges, heights: others, color: OkabeIto.bluishGreen, filled: true)
            axes.histogram(
                edges: edges, heights: members, color: OkabeIto.vermillion, filled: false,
                lineWidth: style.lineWidth * 1.3)
            let drawn = edges.indices.dropLast().flatMap { [(edges[$0], members[$0]), (edges[$0], others[$0])] }
            Legend([
                Legend.Entry("members (candidates)", OkabeIto.vermillion),
                Legend.Entry("non-members (extra)", OkabeIto.bluishGreen.opacity(Axes.histogramFillOpacity), .box)
            ]).draw(on: axes, avoiding: drawn)
        }
        let rows = (0..<bins).map {
            [csvNumber(edges[$0]), csvNumber(edges[$0 + 1]), csvNumber(members[$0]), csvNumber(others[$0])]
        }
        return PaperFigure(
            name: "membership_signal",
            caption:
                "SSLMem score of members (candidates) and non-members (extra points), the signal the audit thresholds.",
            figure: figure, columns: ["from", "to", "members", "non_members"], rows: rows)
    }
}
