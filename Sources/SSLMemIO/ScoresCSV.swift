import Foundation
import SSLMemModel
import SSLMemSupport

/// scores.csv: header `index,subset,label,align_f,align_g,diff,score`, subsets
/// by name, floats in the shortest form that reads back to the same Double.
///
/// Reading also takes what other tools write: LF or CRLF line ends, a UTF-8
/// byte-order mark, the columns in any order, extra columns (ignored), and a
/// per-point file with just `index` and a score column (`ScoresTable.KnownColumns`).
extension ScoresTable {
    public func csv() -> String {
        var text = Self.columns.joined(separator: ",") + "\n"
        text.reserveCapacity(count * 96)
        for i in 0..<count {
            text += "\(index[i]),\(subset[i]),\(label[i]),\(alignF[i]),\(alignG[i]),\(diff[i]),\(score[i])\n"
        }
        return text
    }

    /// Reads a scores CSV, with an error naming the file and line of anything
    /// malformed. The score is the column `column` ("score" when nil, or when
    /// the file is sslmem's own and has no such column); a file without all of
    /// sslmem's columns is read as a per-point score.
    public init(csvFile path: String, column: String? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(file: path, "cannot read the file")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Python's csv module ends lines with CRLF; Swift reads "\r\n" as one Character.
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        let header =
            lines.first.map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: " \""))
                }
            } ?? []
        let position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // A file sslmem wrote keeps its score column when it lacks `column` (compare sslmem's runs with another tool's).
        let own = Self.columns.allSatisfy { position[$0] != nil }
        let scoreColumn = column.flatMap { own && position[$0] == nil ? nil : $0 } ?? "score"
        let full = scoreColumn == "score"
        guard let indexAt = position["index"], let scoreAt = position[scoreColumn] else {
            throw SSLMemError(
                file: path,
                "not a scores file: the header must name the columns "
                    + "\(Self.columns.joined(separator: ",")) in any order, or index and \(scoreColumn); "
                    + "it is \(header.joined(separator: ","))")
        }
        let whole = full && Self.columns.allSatisfy { position[$0] != nil }
        let subsetAt = position["subset"]
        let labelAt = position["label"]
        var index: [Int64] = []
        var subset: [Subset] = []
        var label: [Int64] = []
        var reals: [[Double]] = [[], [], [], []]
        let realColumns = whole ? ["align_f", "align_g", "diff", "score"].map { position[$0]! } : [scoreAt]
        for (number, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func fail(_ why: String) -> SSLMemError { SSLMemError(file: path, "line \(number + 2): \(why)") }
            guard fields.count == header.count else {
                throw fail("\(fields.count) fields, the header has \(header.count)")
            }
            guard let i = Int64(fields[indexAt]) else { throw fail("index \"\(fields[indexAt])\" is not an integer") }
            index.append(i)
            if let subsetAt {
                guard let s = Self.subset(named: fields[subsetAt]) else {
                    throw fail("unknown subset \"\(fields[subsetAt])\"")
                }
                subset.append(s)
            }
            if let labelAt {
                guard let l = Int64(fields[labelAt]) else {
                    throw fail("label \"\(fields[labelAt])\" is not an integer")
                }
                label.append(l)
            }
            for (slot, at) in realColumns.enumerated() {
                guard let x = Double(fields[at]) else { throw fail("\"\(fields[at])\" is not a number") }
                reals[slot].append(x)
            }
        }
        if whole {
            self.init(
                index: index, subset: subset, label: label, alignF: reals[0], alignG: reals[1], diff: reals[2],
                score: reals[3])
        } else {
            self.init(
                index: index, score: reals[0], subset: subsetAt == nil ? nil : subset,
                label: labelAt == nil ? nil : label)
        }
        try checkFinite(source: path) { $0 == "score" ? scoreColumn : $0 }
        sortByIndex()
    }
}
