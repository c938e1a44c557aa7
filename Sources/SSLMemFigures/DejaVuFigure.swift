import SSLMemAnalysis
import SSLMemIO
import SSLMemPlot

extension PaperFigure {
    /// Label-inference accuracy of the Déjà Vu attack on the q most confident
    /// points, q from 1% to 100% (the Déjà Vu paper's accuracy-vs-confidence
    /// figure, Meehan et al. 2023): target = each encoder on the points it
    /// trained on, reference = each on the points it did not. The gap between
    /// the curves is Déjà Vu memorization.
    public static func dejaVuAccuracy(_ attack: DejaVuAttack, width: FigureWidth) -> PaperFigure {
        let style = Style(width: width)
        let fractions = (1...100).map { Double($0) / 100 }
        let target = fractions.map(attack.target)
        let reference = fractions.map(attack.reference)
        let y = Scale.covering(target + reference + [1]).niced()
        let figure = Figure(width: width.points, height: width.points * (width.isNarrow ? 0.78 : 0.5)) { canvas in
            let axes = Axes(
                canvas: canvas, style: style, bounds: Rect(x: 0, y: 0, width: canvas.width, height: canvas.height),
                x: Scale(0, 1), y: Scale(max(0, y.lower), min(1, y.upper)),
                xLabel: "fraction q of most confident points", yLabel: "label-inference accuracy")
            axes.line(fractions, reference, color: OkabeIto.blue, dash: [4, 2])
            axes.line(fractions, target, color: OkabeIto.vermillion, width: style.lineWidth * 1.4)
            let drawn = zip(fractions, target).map { ($0, $1) } + zip(fractions, reference).map { ($0, $1) }
            Legend([
                Legend.Entry("target: encoder trained on the point", OkabeIto.vermillion),
                Legend.Entry("reference: encoder that was not", OkabeIto.blue, .dashed)
            ]).draw(on: axes, avoiding: drawn)
        }
        let rows = fractions.indices.map { i in
            [
                csvNumber(fractions[i]), csvNumber(target[i]), csvNumber(reference[i]),
                csvNumber(target[i] - reference[i])
            ]
        }
        return PaperFigure(
            name: "dejavu_accuracy",
            caption: "Déjà Vu: label-inference accuracy on the most confident fraction q of points, for each encoder "
                + "on its own training points (target) and on the other encoder's (reference), k = \(attack.k).",
            figure: figure, columns: ["q", "target", "reference", "gap"], rows: rows)
    }
}
