import Foundation
import SSLMemModel
import SSLMemSupport
import SSLMemTestSupport
import Testing

@testable import SSLMemAnalysis
@testable import SSLMemCore
@testable import SSLMemIO

/// LayerMem, ΔLayerMem, layer consistency and UnitMem on the synthetic per-layer dumps
/// (fixtures/layers_synthetic: conv [C,H,W] layers with units_axis 0 in float16+gzip and float32, a token
/// layer [T,C] with units_axis 1, a tie for x*(u), one point per subset) against the float64 numpy
/// reference (scripts/reference/layermem_reference.py via scripts/fixtures/make_synthetic_layer_fixtures.py →
/// fixtures/expected/layers_synthetic.json), within 1e-9 relative; and the bad inputs of the issue.
@Suite struct LayerMemTests {
    static let directory = Repository.fixture("layers_synthetic")
    static let f = directory + "/conv_f.h5", g = directory + "/conv_g.h5"
    static let tinyF = directory + "/tiny_f.h5", tinyG = directory + "/tiny_g.h5"

    static var expected: [String: Any] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Repository.fixture("expected/layers_synthetic.json")))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Within 1e-9 relative (exact for 0); nil/NSNull in the reference means NaN here.
    func agrees(_ got: Double, _ reference: Any?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let number = reference as? NSNumber else {
            #expect(got.isNaN, "\(what): \(got), reference null", sourceLocation: sourceLocation)
            return
        }
        let y = number.doubleValue
        #expect(
            y == 0 ? got == 0 : abs(got - y) <= 1e-9 * abs(y), "\(what): \(got) vs \(y)",
            sourceLocation: sourceLocation)
    }

    static let layerConfigurations: [(Pairing, Distance)] = [
        (.original, .l2), (.original, .cosine),
        (.allPairs, .l2), (.allPairs, .cosine)
    ]

    @Test(arguments: layerConfigurations)
    func layerMemMatchesReference(pairing: Pairing, distance: Distance) throws {
        let reference =
            (Self.expected["layers"] as! [String: Any])["\(pairing.rawValue) \(distance.rawValue)"]
            as! [String: Any]
        let analysis = try LayerMem.analyze(
            f: [Self.f], g: [Self.g],
            options: AlignmentOptions(
                pairing: pairing,
                distance: distance), extremes: 20)
        let layers = reference["layers"] as! [[String: Any]]
        #expect(analysis.layers.map(\.name) == layers.map { $0["name"] as! String })
        #expect(analysis.layers.map(\.name) == ["stem", "block", "tokens"])
        #expect(analysis.extremes == reference["extremes"] as! Int)
        for (mine, theirs) in zip(analysis.layers, layers) {
            #expect(mine.order == theirs["order"] as! Int)
            #expect(mine.n == theirs["n"] as! Int)
            agrees(mine.layerMem, theirs["layermem"], "\(mine.name) LayerMem")
            agrees(mine.delta, theirs["delta"], "\(mine.name) ΔLayerMem")
            agrees(mine.top, theirs["top"], "\(mine.name) top-20")
            agrees(mine.least, theirs["least"], "\(mine.name) least-20")
            agrees(mine.control, theirs["control"], "\(mine.name) S_E control")
        }
        let points = reference["points"] as! [String: Any]
        #expect(analysis.candidates == (points["index"] as! [Int]).map(Int64.init))
        let m = points["m"] as! [String: [Double]]
        for (layer, values) in zip(analysis.layers, analysis.m) {
            for (i, v) in values.enumerated() { agrees(v, m[layer.name]![i], "m(x) of \(analysis.candidates[i])") }
        }
        let consistency = LayerConsistency(analysis, tops: [10, 20, 50, 100])
        #expect(consistency.skipped == [100])
        let pairs = reference["pairs"] as! [[String: Any]]
        #expect(consistency.pairs.count == pairs.count)
        for (mine, theirs) in zip(consistency.pairs, pairs) {
            #expect(mine.a == theirs["a"] as! String && mine.b == theirs["b"] as! String)
            agrees(mine.tau, theirs["tau"], "tau \(mine.a)-\(mine.b)")
            let tops = theirs["top"] as! [[String: Any]]
            #expect(mine.top.map(\.x) == tops.map { $0["x"] as! Int })
            for (t, r) in zip(mine.top, tops) {
                agrees(t.overlap, r["overlap"], "top-\(t.x) overlap \(mine.a)-\(mine.b)")
                agrees(t.tau, r["tau"], "top-\(t.x) tau \(mine.a)-\(mine.b)")
            }
        }
    }

    @Test func severalFilesAverageAndWorkersDoNotMatter() throws {
        let one = try LayerMem.analyze(f: [Self.f], g: [Self.g], extremes: 20, workers: 1)
        let two = try LayerMem.analyze(f: [Self.f], g: [Self.g], extremes: 20, workers: 2)
        #expect(one.m == two.m && one.layers == two.layers)
        let doubled = try LayerMem.analyze(f: [Self.f, Self.f], g: [Self.g, Self.g], extremes: 20)
        for (a, b) in zip(one.layers, doubled.layers) {
            #expect(abs(a.layerMem - b.layerMem) <= 1e-12 * abs(a.layerMem))
        }
    }

    static let unitConfigurations = [
        "mean shared,candidate", "median shared,candidate", "mean candidate",
        "median candidate", "mean tiny", "median tiny"
    ]

    @Test(arguments: unitConfigurations)
    func unitMemMatchesReference(configuration: String) throws {
        let reference = (Self.expected["units"] as! [String: Any])[configuration] as! [String: Any]
        let rest = RestStatistic(rawValue: String(configuration.split(separator: " ")[0]))!
        let tiny = configuration.hasSuffix("tiny")
        let candidatesOnly = configuration.hasSuffix(" candidate")
        let (f, g) = tiny ? (Self.tinyF, Self.tinyG) : (Self.f, Self.g)
        let subsets: Set<Subset> = candidatesOnly ? [.candidate] : [.shared, .candidate]
        let layers = candidatesOnly ? ["tokens"] : []
        var results = [("layers", try UnitMem.analyze(file: f, layers: layers, subsets: subsets, rest: rest))]
        if reference["g"] != nil { results.append(("g", try UnitMem.analyze(file: g, subsets: subsets, rest: rest))) }
        for (key, mine) in results {
            let theirs = reference[key] as! [[String: Any]]
            #expect(mine.map(\.name) == theirs.map { $0["name"] as! String })
            for (l, r) in zip(mine, theirs) {
                #expect(l.unitsAxis == r["units_axis"] as! Int)
                #expect(l.argmaxIndex == (r["argmax_index"] as! [Int]).map(Int64.init), "\(key) \(l.name) x*(u)")
                let units = r["units"] as! [Any]
                let muMax = r["mu_max"] as! [Any]
                let muRest = r["mu_rest"] as! [Any]
                #expect(l.units.count == units.count)
                for u in l.units.indices {
                    agrees(l.units[u], units[u], "\(key) \(l.name) UnitMem(\(u))")
                    agrees(l.muMax[u], muMax[u], "\(key) \(l.name) μ_max(\(u))")
                    agrees(l.muRest[u], muRest[u], "\(key) \(l.name) μ_rest(\(u))")
                }
            }
        }
    }

    @Test func tieGoesToTheLowerIndex() throws {
        // Channel 0 of f's "block" holds 25.0 for two shared points, indices 120 and 453.
        let block = try UnitMem.analyze(file: Self.f, layers: ["block"])[0]
        #expect(block.argmaxIndex[0] == 120)
        #expect(block.muMax[0] == 25)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var units = false
        var role = "f"
        var dataset: String?
        var point: Int64?
        var text: String
        var testDescription: String { name }
    }

    static let badCases = [
        BadCase(name: "missing_in_g", role: "g", dataset: "/layers/deep", text: "layer deep is missing here"),
        BadCase(
            name: "shapes_differ", role: "g", dataset: "/layers/conv/representations",
            text: "has views of shape [2, 3] here but [3, 2]"),
        BadCase(name: "duplicated_order", dataset: "/layers/deep", text: "order 0 is also the order of layer conv"),
        BadCase(name: "one_view", dataset: "/layers/conv/representations", text: "K = 1 view per point"),
        BadCase(name: "zero_view", dataset: "/layers/conv/representations", point: 3, text: "view 1 is a zero vector"),
        BadCase(
            name: "nan_view", role: "g", dataset: "/layers/conv/representations", point: 11,
            text: "view 0 holds NaN or Inf"),
        BadCase(
            name: "negative", units: true, dataset: "/layers/conv/representations", point: 3,
            text: "unit 2 of layer conv has mean activation -"),
        BadCase(
            name: "nan_view", units: true, role: "g", dataset: "/layers/conv/representations", point: 11,
            text: "view 0 holds NaN or Inf; UnitMem needs finite activations")
    ]

    @Test(arguments: badCases)
    func badInputIsOneClearLine(case bad: BadCase) throws {
        let f = Self.directory + "/bad/\(bad.name)_f.h5"
        let g = Self.directory + "/bad/\(bad.name)_g.h5"
        do {
            if bad.units {
                _ = try UnitMem.analyze(file: bad.role == "f" ? f : g)
            } else {
                _ = try LayerMem.analyze(f: [f], g: [g], options: AlignmentOptions(pairing: .allPairs))
            }
            Issue.record("no error")
        } catch let error as SSLMemError {
            #expect(error.file == (bad.role == "f" ? f : g), "\(error)")
            #expect(error.dataset == bad.dataset, "\(error)")
            #expect(error.point == bad.point, "\(error)")
            #expect(error.message.contains(bad.text), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func negativeMeansAreAllowedOnRequest() throws {
        let layer = try UnitMem.analyze(file: Self.directory + "/bad/negative_f.h5", allowNegative: true)[0]
        #expect(layer.muRest[2] < 0 || layer.muMax[2] < 0 || layer.units[2].isFinite)
    }

    @Test func onePointPerSubset() throws {
        // LayerMem over one candidate has no range to normalize by.
        #expect(throws: SSLMemError.self) { try LayerMem.analyze(f: [Self.tinyF], g: [Self.tinyG]) }
        do {
            _ = try LayerMem.analyze(f: [Self.tinyF], g: [Self.tinyG])
        } catch let error as SSLMemError {
            #expect(error.message.contains("1 candidate point(s)"), "\(error)")
        }
        // UnitMem over one point has no rest.
        do {
            _ = try UnitMem.analyze(file: Self.tinyF, subsets: [.candidate])
            Issue.record("no error")
        } catch let error as SSLMemError {
            #expect(error.file == Self.tinyF && error.message.contains("needs at least two"), "\(error)")
        }
    }

    @Test func unknownLayerAndMissingGroup() throws {
        #expect(throws: SSLMemError.self) { try UnitMem.analyze(file: Self.f, layers: ["nope"]) }
        do {
            _ = try UnitMem.analyze(file: Repository.fixture("simclr_f.h5"))
            Issue.record("no error")
        } catch let error as SSLMemError {
            #expect(error.dataset == "/layers" && error.message.contains("missing group"), "\(error)")
        }
        do {
            _ = try LayerMem.analyze(
                f: [Self.tinyF], g: [Self.tinyG], options: AlignmentOptions(pairing: .original),
                extremes: 1)
        } catch let error as SSLMemError {
            #expect(error.file == Self.tinyF)
        }
    }

    func keys(_ text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "\"([a-z_0-9]+)\":")
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    @Test func jsonKeys() throws {
        let analysis = try LayerMem.analyze(f: [Self.f], g: [Self.g], extremes: 20)
        let text = layersJSON(analysis, LayerConsistency(analysis, tops: [10])).text
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(Array(keys(text).prefix(5)) == ["layers", "name", "order", "layermem", "delta"])
        for layer in object["layers"] as! [[String: Any]] {
            #expect(Set(layer.keys) == ["name", "order", "layermem", "delta", "n"])
        }
        #expect(Set(object.keys) == ["layers", "pairs", "extremes", "control", "pairing", "distance"])
        for pair in object["pairs"] as! [[String: Any]] {
            #expect(Set(pair.keys) == ["a", "b", "tau", "pvalue", "n", "top"])
        }
        let f = try UnitMem.analyze(file: Self.f)
        let g = try UnitMem.analyze(file: Self.g)
        let unitsText = unitsJSON(f: f, g: g).text
        let units = try JSONSerialization.jsonObject(with: Data(unitsText.utf8)) as! [String: Any]
        #expect(Set(units.keys) == ["layers", "summary", "g", "g_summary", "baseline"])
        for layer in (units["layers"] as! [[String: Any]]) + (units["g"] as! [[String: Any]]) {
            #expect(Set(layer.keys) == ["name", "units", "argmax_index"])
        }
        let fOnly = try JSONSerialization.jsonObject(with: Data(unitsJSON(f: f, g: nil).text.utf8)) as! [String: Any]
        #expect(Set(fOnly.keys) == ["layers", "summary"])
    }

    @Test func summaryQuantilesAreNumpyLinear() {
        let s = UnitMemSummary([0.9, 0.1, 0.3, 0.7, .nan])
        #expect(s.count == 4 && s.min == 0.1 && s.max == 0.9)
        #expect(abs(s.median - 0.5) < 1e-15 && abs(s.q25 - 0.25) < 1e-15 && abs(s.q75 - 0.75) < 1e-15)
        #expect(s.aboveHalf == 0.5)
    }

    // MARK: The real per-layer fixture (issue 17's experiment, cut by scripts/fixtures/cut_real_layer_fixture.py)

    static let realF = Repository.fixture("layers/f.h5"), realG = Repository.fixture("layers/g.h5")
    static let realExpected = Repository.fixture("expected/layers_real.json")
    static var haveReal: Bool { FileManager.default.fileExists(atPath: realExpected) }

    @Test(.enabled(if: haveReal)) func realFixtureMatchesReference() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.realExpected))
        let expected = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let layerCases = expected["layers"] as! [String: Any]
        #expect(!layerCases.isEmpty)
        for (key, value) in layerCases {
            let parts = key.split(separator: " ").map(String.init)
            let reference = value as! [String: Any]
            let analysis = try LayerMem.analyze(
                f: [Self.realF], g: [Self.realG],
                options: AlignmentOptions(
                    pairing: Pairing(rawValue: parts[0])!, distance: Distance(rawValue: parts[1])!),
                extremes: 50)
            let layers = reference["layers"] as! [[String: Any]]
            #expect(analysis.layers.map(\.name) == layers.map { $0["name"] as! String }, "\(key)")
            for (mine, theirs) in zip(analysis.layers, layers) {
                #expect(mine.n == theirs["n"] as! Int)
                agrees(mine.layerMem, theirs["layermem"], "\(key) \(mine.name) LayerMem")
                agrees(mine.delta, theirs["delta"], "\(key) \(mine.name) ΔLayerMem")
                agrees(mine.top, theirs["top"], "\(key) \(mine.name) top")
                agrees(mine.least, theirs["least"], "\(key) \(mine.name) least")
                agrees(mine.control, theirs["control"], "\(key) \(mine.name) control")
            }
            let consistency = LayerConsistency(analysis, tops: [10, 50, 100])
            for (mine, theirs) in zip(consistency.pairs, reference["pairs"] as! [[String: Any]]) {
                agrees(mine.tau, theirs["tau"], "\(key) tau \(mine.a)-\(mine.b)")
                for (t, r) in zip(mine.top, theirs["top"] as! [[String: Any]]) {
                    agrees(t.overlap, r["overlap"], "\(key) top-\(t.x) overlap \(mine.a)-\(mine.b)")
                }
            }
        }
        for rest in RestStatistic.allCases {
            let reference = (expected["units"] as! [String: Any])[rest.rawValue] as! [String: Any]
            for (key, path) in [("layers", Self.realF), ("g", Self.realG)] {
                let mine = try UnitMem.analyze(file: path, rest: rest, allowNegative: true)
                let theirs = reference[key] as! [[String: Any]]
                #expect(mine.map(\.name) == theirs.map { $0["name"] as! String })
                for (l, r) in zip(mine, theirs) {
                    #expect(l.argmaxIndex == (r["argmax_index"] as! [Int]).map(Int64.init), "\(key) \(l.name) x*(u)")
                    let units = r["units"] as! [Any]
                    for u in l.units.indices { agrees(l.units[u], units[u], "\(rest) \(key) \(l.name) UnitMem(\(u))") }
                }
            }
        }
    }
}
