import SSLMem

// Two encoders' views of 8 points (K = 2 views of length 2): f trained on the
// candidates and aligns their views, g trained on the independent points.
let subsets: [Subset] = [.candidate, .candidate, .independent, .independent, .shared, .shared, .extra, .extra]
let points = PointTable(index: Array(0..<8), subset: subsets, label: Array(repeating: -1, count: 8))
func views(aligned: Set<Subset>, name: String) throws -> Views {
    let values: [Float] = subsets.enumerated().flatMap { i, subset -> [Float] in
        let angle = Float(i) / 10
        return [1, angle] + (aligned.contains(subset) ? [1, angle + 0.05] : [angle, 1])
    }
    return try Views(points: points, viewCount: 2, viewLength: 2, values: values, name: name)
}
let scores = try Memorization.score(
    f: [try views(aligned: [.candidate, .shared], name: "f")],
    g: [try views(aligned: [.independent, .shared], name: "g")],
    normalization: .none)
print("index,subset,score")
for i in 0..<scores.count { print("\(scores.index[i]),\(scores.subset[i]),\(scores.score[i])") }
let candidates = Descriptive(scores.scores(of: .candidate))
print(
    "candidate mean \(candidates.mean); libhdf5 \(HDF5Library.version); \(SubsetTest.twoSample.count) two-sample tests")
precondition(
    scores.scores(of: .candidate).allSatisfy { $0 > 0 } && scores.scores(of: .independent).allSatisfy { $0 < 0 })
_ = (Color.self, PaperFigure.self, RunReport.self)
