/// Small images in a grid with a caption under each (e.g. the most memorized
/// points with their score and class).
public struct ImageGrid {
    public struct Tile {
        public var pixels: [UInt8]
        public var columns: Int
        public var rows: Int
        public var channels: Int
        public var caption: [String]
        public init(pixels: [UInt8], columns: Int, rows: Int, channels: Int, caption: [String]) {
            self.pixels = pixels
            self.columns = columns
            self.rows = rows
            self.channels = channels
            self.caption = caption
        }
    }

    public var tiles: [Tile]
    public var perRow: Int
    public init(tiles: [Tile], perRow: Int) {
        self.tiles = tiles
        self.perRow = perRow
    }

    /// Height the grid needs at `width`.
    public func height(width: Double, style: Style, captionLines: Int) -> Double {
        let cell = width / Double(perRow)
        let rows = (tiles.count + perRow - 1) / perRow
        return Double(rows) * (cell * 0.8 + Double(captionLines) * style.tickSize * 1.15 + style.padding)
    }

    public func draw(canvas: Canvas, style: Style, bounds: Rect) {
        let cell = bounds.width / Double(perRow)
        let side = cell * 0.8
        let captionLines = tiles.map(\.caption.count).max() ?? 0
        let rowHeight = side + Double(captionLines) * style.tickSize * 1.15 + style.padding
        for (i, tile) in tiles.enumerated() {
            let column = i % perRow
            let row = i / perRow
            let x = bounds.x + Double(column) * cell + (cell - side) / 2
            let y = bounds.y + Double(row) * rowHeight
            canvas.image(
                tile.pixels, columns: tile.columns, rows: tile.rows, channels: tile.channels,
                in: Rect(x: x, y: y, width: side, height: side))
            for (line, text) in tile.caption.enumerated() {
                canvas.text(
                    text, at: Point(x + side / 2, y + side + 1.5 + Double(line) * style.tickSize * 1.15),
                    size: style.tickSize, anchor: TextAnchor(.center, .top), rich: false)
            }
        }
    }
}
