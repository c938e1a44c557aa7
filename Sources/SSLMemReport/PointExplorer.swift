import Foundation
import SSLMemCore
import SSLMemFigures
import SSLMemIO
import SSLMemModel
import SSLMemPlot
import SSLMemSupport

/// The data behind the run report's interactive page (templates/explore.mustache): the points it can show
/// (index, subset, class, align_f, align_g, score, thumbnail) and, per interactive figure, where each of them
/// was drawn (`PaperFigure.plottedPoints`). Runs of up to `allPointsLimit` points embed every point; larger
/// runs embed the `extremes` highest- and lowest-scored points and an evenly spaced sample of the rest, up to
/// `sampledLimit` points in all, and the page says which (`note`). Deterministic: the same table gives the same bytes.
public struct PointExplorer {
    static let allPointsLimit = 3000
    static let extremes = 250
    static let sampledLimit = 2000

    /// Rows of the scores table the page embeds, in table order.
    let rows: [Int]
    /// What the page holds, in words.
    let note: String
    let json: String

    /// Each image as a base64 PNG thumbnail (nil without an image), encoded on all cores; the workers only
    /// read the images and each writes its own slot.
    static func thumbnails(_ images: [ImagesFile.Image?]) -> [String?] {
        var encoded = [String?](repeating: nil, count: images.count)
        images.withUnsafeBufferPointer { input in
            encoded.withUnsafeMutableBufferPointer { output in
                guard let source = input.baseAddress, let target = output.baseAddress else { return }
                let images = ParallelBuffer(reading: source)
                let slots = ParallelBuffer(target)
                try? ParallelBlocks.run(input.count, workers: FileAlignment.defaultWorkers, state: {}) { i, _ in
                    guard let image = images[i] else { return }
                    let png = PNGEncoding.thumbnail(
                        image.pixels, columns: image.columns, rows: image.rows,
                        channels: image.channels)
                    slots[i] = Data(png).base64EncodedString()
                }
            }
        }
        return encoded
    }

    init(scores: ScoresTable, images: ImagesFile?, figures: [PaperFigure]) throws {
        let n = scores.count
        if n <= Self.allPointsLimit {
            rows = Array(0..<n)
            note = "The table and the figures' tooltips hold all \(n) points."
        } else {
            let byScore = Ranking.highestFirst(
                scores.index.indices, value: { scores.score[$0] }, key: { scores.index[$0] })
            var keep = Set(byScore.prefix(Self.extremes)).union(byScore.suffix(Self.extremes))
            let middle = byScore.dropFirst(Self.extremes).dropLast(Self.extremes)
            let wanted = Self.sampledLimit - keep.count
            let step = Double(middle.count) / Double(wanted)
            for k in 0..<wanted { keep.insert(middle[middle.startIndex + Int(Double(k) * step)]) }
            rows = keep.sorted()
            note =
                "This run has \(n) points; to keep the page small, the table and the figures' tooltips hold the "
                + "\(Self.extremes) highest- and \(Self.extremes) lowest-scored points and \(wanted) others, evenly spaced "
                + "in score (\(rows.count) in all). The figures draw every point."
        }
        var classNames: [String] = []
        var classIDs: [String: Int] = [:]
        var thumbs: [String] = []
        var points: [String] = []
        // Images are read in order (libhdf5 is serialized anyway); their PNG thumbnails are encoded on all cores.
        let loaded = try rows.map { try images?.image(of: scores.index[$0]) }
        let encoded = Self.thumbnails(loaded)
        for (position, row) in rows.enumerated() {
            let image = loaded[position]
            let label = scores.label[row] >= 0 ? scores.label[row] : image?.label ?? -1
            let name = label >= 0 ? ImagesFile.className(label, names: images?.classNames ?? []) : "—"
            let classID =
                classIDs[name]
                ?? {
                    classNames.append(name)
                    classIDs[name] = classNames.count - 1
                    return classNames.count - 1
                }()
            var thumb = -1
            if let png = encoded[position] {
                thumbs.append(png)
                thumb = thumbs.count - 1
            }
            points.append(
                "[\(scores.index[row]),\(scores.subset[row].rawValue),\(classID),"
                    + "\(Self.number(scores.alignF[row])),\(Self.number(scores.alignG[row])),\(Self.number(scores.score[row])),\(thumb)]"
            )
        }
        let position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        let maps = figures.compactMap { $0.plottedPoints(scores) }.map { map -> String in
            let series = map.series.map { series -> String in
                let marks = series.rows.indices.compactMap { k -> String? in
                    guard let p = position[series.rows[k]] else { return nil }
                    let x = Self.coordinate(series.x[k])
                    return series.y.isEmpty ? "[\(p),\(x)]" : "[\(p),\(x),\(Self.coordinate(series.y[k]))]"
                }
                return "{\"name\":\(Self.string(series.name)),\"marks\":[\(marks.joined(separator: ","))]}"
            }
            let frame = [map.frame.x, map.frame.y, map.frame.width, map.frame.height].map(Self.coordinate)
            return "{\"id\":\(Self.string("fig-" + map.name)),\"kind\":\"\(map.kind.rawValue)\","
                + "\"width\":\(Self.coordinate(map.width)),\"height\":\(Self.coordinate(map.height)),"
                + "\"frame\":[\(frame.joined(separator: ","))],\"series\":[\(series.joined(separator: ","))]}"
        }
        json =
            "{\"note\":\(Self.string(note)),"
            + "\"subsets\":[\(Subset.allCases.map { Self.string($0.description) }.joined(separator: ","))],"
            + "\"classes\":[\(classNames.map(Self.string).joined(separator: ","))],"
            + "\"columns\":[\"index\",\"subset\",\"class\",\"align_f\",\"align_g\",\"score\",\"thumbnail\"],"
            + "\"points\":[\(points.joined(separator: ",\n"))],\n"
            + "\"thumbnails\":[\(thumbs.map(Self.string).joined(separator: ",\n"))],\n"
            + "\"figures\":[\(maps.joined(separator: ",\n"))]}"
    }

    /// A value with 6 significant digits; null when not finite.
    static func number(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "null" }
    /// A figure coordinate in points, to 0.01 pt.
    static func coordinate(_ x: Double) -> String { String(format: "%.2f", x) }

    /// A JSON string that is safe inside an HTML `<script>` element: besides JSON's own escapes, `<`, `>`, `&`,
    /// U+2028 and U+2029 are written as \u escapes, so a value holding `</script>` or `<!--` stays text.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\u{0}"..."\u{1F}", "\u{7F}":
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
