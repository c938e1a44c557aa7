/// Text with subscripts and superscripts, as axis labels need them (S_C,
/// 10^{−3}): `_x` or `_{…}` lowers, `^x` or `^{…}` raises, at 70% size.
struct RichText {
    struct Run: Equatable {
        var text: String
        /// 0 normal, −1 subscript, +1 superscript.
        var level: Int
    }

    let runs: [Run]

    init(_ source: String) {
        var runs: [Run] = []
        var current = ""
        var characters = Array(source)[...]
        func flush() {
            if !current.isEmpty { runs.append(Run(text: current, level: 0)) }
            current = ""
        }
        while let c = characters.first {
            characters = characters.dropFirst()
            guard c == "_" || c == "^", let next = characters.first else {
                current.append(c)
                continue
            }
            flush()
            var script = ""
            if next == "{", let close = characters.firstIndex(of: "}") {
                script = String(characters[characters.index(after: characters.startIndex)..<close])
                characters = characters[characters.index(after: close)...]
            } else {
                script = String(next)
                characters = characters.dropFirst()
            }
            runs.append(Run(text: script, level: c == "_" ? -1 : 1))
        }
        flush()
        self.runs = runs
    }

    static let scriptScale = 0.7
}
