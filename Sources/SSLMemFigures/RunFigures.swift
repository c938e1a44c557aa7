import SSLMemIO
import SSLMemPlot

extension PaperFigure {
    /// Every figure of one run that its inputs allow, in the order a report
    /// shows them: the score figures always; the class means when points have
    /// labels; the most and least memorized images with an images file; the
    /// training series with a checkpoint folder (and its logs).
    public static func runFigures(
        _ table: ScoresTable, images: ImagesFile?, checkpoints: String?, logs: [String], width: FigureWidth
    ) throws -> [PaperFigure] {
        var figures: [PaperFigure] = [.scoreDistribution(table, width: width), .alignmentScatter(table, width: width),
                                      .thresholdCurve(table, width: width)]
        if let classMeans = PaperFigure.classMeans(table, classNames: images?.classNames ?? [], width: width) {
            figures.append(classMeans)
        }
        if let images {
            figures.append(try .memorizedImages(table, images: images, most: true, width: width))
            figures.append(try .memorizedImages(table, images: images, most: false, width: width))
        }
        if let checkpoints {
            figures.append(.memorizationOverEpochs(try TrainingSeries(checkpoints: checkpoints, logs: logs), width: width))
        }
        return figures
    }
}
