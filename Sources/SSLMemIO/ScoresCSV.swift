import Foundation

/// scores.csv: header `index,subset,label,align_f,align_g,diff,score`, subsets
/// by name, floats in the shortest form that reads back to the same Double.
extension ScoresTable {
    public func csv() -> String {
        var text = Self.columns.joined(separator: ",") + "\n"
        text.reserveCapacity(count * 96)
        for i in 0..<count {
            text += "\(index[i]),\(subset[i]),\(label[i]),\(alignF[i]),\(alignG[i]),\(diff[i]),\(score[i])\n"
        }
        return text
    }

    /// Reads a scores.csv, with an error naming the file and line of anything malformed.
    public init(csvFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SSLMemError(file: path, "cannot read the file")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first, header.split(separator: ",").map(String.init) == Self.columns else {
            throw SSLMemError(file: path, "not a scores file: the header must be \(Self.columns.joined(separator: ","))")
        }
        self.init(index: [], subset: [], label: [], alignF: [], alignG: [], diff: [], score: [])
        for (number, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            func fail(_ why: String) -> SSLMemError { SSLMemError(file: path, "line \(number + 2): \(why)") }
            guard fields.count == 7 else { throw fail("\(fields.count) fields, expected 7") }
            guard let i = Int64(fields[0]), let l = Int64(fields[2]) else { throw fail("index and label must be integers") }
            guard let s = Subset(name: String(fields[1])) else { throw fail("unknown subset \"\(fields[1])\"") }
            let reals = try fields[3...].map { field -> Double in
                guard let x = Double(field), x.isFinite else { throw fail("\"\(field)\" is not a finite number") }
                return x
            }
            index.append(i); subset.append(s); label.append(l)
            alignF.append(reals[0]); alignG.append(reals[1]); diff.append(reals[2]); score.append(reals[3])
        }
    }
}
