import Foundation
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

extension PaperFigure {
    /// The most (or least) memorized candidates as images, with score and class
    /// under each (paper Figs. 1, 8, 9). Ties in score go to the lower index.
    public static func memorizedImages(
        _ table: ScoresTable, images: ImagesFile, most: Bool, count: Int = 20, width: FigureWidth
    ) throws -> PaperFigure {
        let style = Style(width: width)
        let candidates = table.index.indices.filter { table.subset[$0] == .candidate }
        let ranked =
            most
            ? Ranking.highestFirst(candidates, value: { table.score[$0] }, key: { table.index[$0] })
            : Ranking.lowestFirst(candidates, value: { table.score[$0] }, key: { table.index[$0] })
        var tiles: [ImageGrid.Tile] = []
        var rows: [[String]] = []
        for row in ranked where tiles.count < count {
            guard let image = try images.image(of: table.index[row]) else { continue }
            let label = table.label[row] >= 0 ? table.label[row] : image.label
            let name = images.className(label)
            tiles.append(
                ImageGrid.Tile(
                    pixels: image.pixels, columns: image.columns, rows: image.rows,
                    channels: image.channels,
                    caption: [
                        String(format: "%.3f", table.score[row]).replacingOccurrences(of: "-", with: "−"),
                        shortened(name)
                    ]))
            rows.append([
                String(tiles.count), String(table.index[row]), csvNumber(table.score[row]), String(label), name
            ])
        }
        guard !tiles.isEmpty else {
            throw SSLMemError(file: images.path, dataset: "/index", "holds none of the candidates' indices")
        }
        let perRow = width.isNarrow ? 5 : 10
        let grid = ImageGrid(tiles: tiles, perRow: perRow)
        let title = most ? "Most memorized candidates" : "Least memorized candidates"
        let titleHeight = style.titleSize * 1.8
        let height = titleHeight + grid.height(width: width.points - 2 * style.padding, style: style, captionLines: 2)
        let figure = Figure(width: width.points, height: height) { canvas in
            canvas.text(
                title, at: Point(canvas.width / 2, style.padding), size: style.titleSize,
                anchor: TextAnchor(.center, .top), bold: true)
            grid.draw(
                canvas: canvas, style: style,
                bounds: Rect(
                    x: style.padding, y: titleHeight, width: canvas.width - 2 * style.padding,
                    height: canvas.height - titleHeight))
        }
        return PaperFigure(
            name: most ? "most_memorized" : "least_memorized",
            caption: "\(title) by SSLMem score, with score and class (paper Figs. 1, 8, 9).",
            figure: figure, columns: ["rank", "index", "score", "label", "class"], rows: rows)
    }

    /// Class names cut to fit under a thumbnail.
    private static func shortened(_ name: String) -> String {
        let cut = name.split(separator: "/").first.map(String.init) ?? name
        return cut.count > 11 ? String(cut.prefix(10)) + "…" : cut
    }
}
