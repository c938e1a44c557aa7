import Foundation
import SSLMemAnalysis
import SSLMemCore
import SSLMemIO
import SSLMemModel
import SSLMemPlot

extension PaperFigure {
    /// Every figure of one run that its inputs allow, in the order a report
    /// shows them: the score figures always; the class means when points have
    /// labels; the most and least memorized images with an images file; the
    /// training series with a checkpoint folder (and its logs), ending with `final` (the run's own f and g,
    /// `TrainingSeries.FinalModel`) when given, else with the dumps `table` records (`FinalModel.of(_:)`), the
    /// checkpoints scored with `options` (those of `final`'s table). `scatterColoring` colours Fig. 2a.
    public static func runFigures(
        _ table: ScoresTable, images: ImagesFile?, checkpoints: String?, logs: [String], width: FigureWidth,
        scatterColoring: ScatterColoring = .subset, final: TrainingSeries.FinalModel? = nil,
        options: SSLMemCore.AlignmentOptions = SSLMemCore.AlignmentOptions()
    ) throws -> [PaperFigure] {
        var figures: [PaperFigure] = [
            .scoreDistribution(table, width: width),
            .alignmentScatter(table, width: width, coloring: scatterColoring),
            .thresholdCurve(table, width: width)
        ]
        if let classMeans = PaperFigure.classMeans(table, classNames: images?.classNames ?? [], width: width) {
            figures.append(classMeans)
        }
        if let images {
            figures.append(try .memorizedImages(table, images: images, most: true, width: width))
            figures.append(try .memorizedImages(table, images: images, most: false, width: width))
        }
        if let checkpoints {
            // Without `final`, the run's dumps as the table records them (a scores .h5 from `sslmem score`).
            let recorded = final == nil ? try TrainingSeries.FinalModel.of(table) : nil
            figures.append(
                .memorizationOverEpochs(
                    try TrainingSeries(
                        checkpoints: checkpoints, logs: logs, final: final ?? recorded?.final,
                        options: recorded?.options ?? options), width: width))
        }
        return figures
    }

    /// The membership audit's figures: ROC (linear and log–log) and the signal's distribution.
    public static func auditFigures(_ audit: MembershipAudit, width: FigureWidth) -> [PaperFigure] {
        [
            .membershipROC(audit, logLog: false, width: width), .membershipROC(audit, logLog: true, width: width),
            .membershipSignal(audit, width: width)
        ]
    }

    /// Every figure the inputs allow, in the order a report shows them: the
    /// run's figures, the audit's when the run has candidates and extra points,
    /// Kendall's τ heatmap against `compared` runs (this run first, named
    /// `name`), and the removal experiment.
    public static func figures(
        _ table: ScoresTable, name: String, images: ImagesFile?, checkpoints: String?, logs: [String],
        compared: [(name: String, table: ScoresTable)] = [], removal: RemovalResults? = nil, width: FigureWidth,
        scatterColoring: ScatterColoring = .subset
    ) throws -> [PaperFigure] {
        var figures = try runFigures(
            table, images: images, checkpoints: checkpoints, logs: logs, width: width,
            scatterColoring: scatterColoring)
        if let audit = try? MembershipAudit(table) { figures += auditFigures(audit, width: width) }
        if !compared.isEmpty {
            figures.append(
                .kendallHeatmap(
                    try RunComparison(
                        [table] + compared.map(\.table),
                        names: [name] + compared.map(\.name)), width: width))
        }
        if let removal { figures.append(.removal(removal, width: width)) }
        return figures
    }
}
