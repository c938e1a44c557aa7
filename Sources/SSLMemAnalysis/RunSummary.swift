import Foundation
import SSLMemModel
import SSLMemSupport

/// A run report's `summary.json`: what comparisons and sweeps read back from a
/// report folder. Encoded and decoded with `Codable` both ways (`encoded()`,
/// `init(json:)`); encoding writes the members of each object in declaration
/// (or given) order, decoding keeps every member but in the order Foundation's
/// JSONDecoder lists them, which is not the text's; non-finite numbers are
/// written as the strings "nan", "inf" and "-inf".
public struct RunSummary: SummaryDocument, Sendable, Equatable {
    public var title: String
    /// The conventions every number of the report follows (pairing, distance, normalization and its scope,
    /// ranking, ties, top-X sizes, bootstrap), with the report's sentence; absent in summaries written before
    /// sslmem recorded them.
    public var conventions: Conventions?
    /// Attribute → [value in the f files, value in the g files].
    public var metadata: OrderedObject<[String]>
    /// Root attributes of the (first) f file: method, seed, epoch, linear_probe_accuracy, a swept λ …
    public var attributes: OrderedObject<HDF5AttributeValue>
    /// The paper's claims checked on this run, with Holm-adjusted p, effect and 95% interval (`Finding`);
    /// absent in summaries written before sslmem computed them.
    public var findings: [Finding]?
    /// Caveats computed from the inputs (f and g trained differently, …); absent in summaries written
    /// before sslmem recorded them.
    public var warnings: [String]?
    /// The caveats that undermine findings, with the claims each undermines (their texts are among `warnings`);
    /// absent in summaries written before sslmem recorded them.
    public var caveats: [Caveat]?
    /// Per-subset statistics of the score (paper Tables 1–2), in subset order.
    public var subsets: OrderedObject<SubsetStatistics>
    /// The paper's t-tests (Tables 2 and 16).
    public var tests: [Test]
    public var dejavu: DejaVu?
    public var audit: Audit?
    /// "Where is it memorized?": `sslmem layers --json` with the section's findings and UnitMem summaries,
    /// when the dumps carry `/layers`.
    public var layers: JSONValue?
    /// The most memorized candidates.
    public var top: [TopPoint]
    public var files: [File]
    public var toolkit: String

    public init(
        title: String, metadata: OrderedObject<[String]>, attributes: OrderedObject<HDF5AttributeValue>,
        subsets: OrderedObject<SubsetStatistics>, tests: [Test], dejavu: DejaVu?, audit: Audit?,
        top: [TopPoint], files: [File], toolkit: String, warnings: [String]? = nil, layers: JSONValue? = nil,
        findings: [Finding]? = nil, conventions: Conventions? = nil, caveats: [Caveat]? = nil
    ) {
        self.title = title
        self.conventions = conventions
        self.caveats = caveats
        self.findings = findings
        self.warnings = warnings
        self.layers = layers
        self.metadata = metadata
        self.attributes = attributes
        self.subsets = subsets
        self.tests = tests
        self.dejavu = dejavu
        self.audit = audit
        self.top = top
        self.files = files
        self.toolkit = toolkit
    }

    /// summary.json's `"conventions"` (SSLMemAnalysis's `Conventions.record`): each as its option value.
    public struct Conventions: Codable, Sendable, Equatable {
        /// "paper", "authors-code" or "custom".
        public var convention: String
        public var pairing: String
        public var distance: String
        public var normalize: String
        /// "candidate" or "all": the points whose range of diff divides the score.
        public var rangeOver: String
        /// How `select` ranks: "score" or "authors-code".
        public var ranking: String
        public var tieRule: String
        public var topX: [Int]
        public var selectionSizes: [Int]
        public var bootstrapResamples: Int
        public var bootstrapSeed: UInt64
        public var level: Double
        /// The report's sentence stating them.
        public var sentence: String
        enum CodingKeys: String, CodingKey {
            case convention, pairing, distance, normalize
            case rangeOver = "range_over"
            case ranking
            case tieRule = "tie_rule"
            case
                topX = "top_x"
            case selectionSizes = "selection_sizes"
            case bootstrapResamples = "bootstrap_resamples"
            case
                bootstrapSeed = "bootstrap_seed"
            case level, sentence
        }
        public init(
            convention: String, pairing: String, distance: String, normalize: String, rangeOver: String,
            ranking: String, tieRule: String, topX: [Int], selectionSizes: [Int], bootstrapResamples: Int,
            bootstrapSeed: UInt64, level: Double, sentence: String
        ) {
            self.convention = convention
            self.pairing = pairing
            self.distance = distance
            self.normalize = normalize
            self.rangeOver = rangeOver
            self.ranking = ranking
            self.tieRule = tieRule
            self.topX = topX
            self.selectionSizes = selectionSizes
            self.bootstrapResamples = bootstrapResamples
            self.bootstrapSeed = bootstrapSeed
            self.level = level
            self.sentence = sentence
        }
    }

    /// n, mean, standard deviation (ddof 1) and 95% t-interval of the mean score.
    public struct SubsetStatistics: Codable, Sendable, Equatable {
        public var n: Int
        public var mean: Double
        public var std: Double
        public var ci95: [Double]
        public init(n: Int, mean: Double, std: Double, ci95: [Double]) {
            self.n = n
            self.mean = mean
            self.std = std
            self.ci95 = ci95
        }
    }

    /// One t-test: subset `a` against subset `b`, or against a value.
    public struct Test: Codable, Sendable, Equatable {
        public enum Operand: Codable, Sendable, Equatable {
            case subset(String)
            case value(Double)
            public init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let name = try? c.decode(String.self) {
                    self = .subset(name)
                } else {
                    self = .value(try c.decode(Double.self))
                }
            }
            public func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .subset(let name): try c.encode(name)
                case .value(let x): try c.encode(x)
                }
            }
        }
        public var a: String
        public var b: Operand
        /// "greater", "less" or "two-sided".
        public var alternative: String
        /// "student" or "welch".
        public var variant: String
        public var statistic: Double
        public var df: Double
        public var pvalue: Double
        public var cohensD: Double
        /// Hedges' g: Cohen's d times the exact small-sample factor J(ν) = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)),
        /// ν = n₁ + n₂ − 2 for Welch too, n − 1 for one sample (`TTestResult.hedgesG`); absent in summaries
        /// written before sslmem recorded it.
        public var hedgesG: Double?
        /// Why the test could not be computed, when it could not.
        public var note: String?
        enum CodingKeys: String, CodingKey {
            case a, b, alternative, variant, statistic, df, pvalue
            case cohensD = "cohens_d"
            case hedgesG = "hedges_g"
            case note
        }
        public init(
            a: String, b: Operand, alternative: String, variant: String, statistic: Double, df: Double,
            pvalue: Double, cohensD: Double, hedgesG: Double? = nil, note: String?
        ) {
            self.a = a
            self.b = b
            self.alternative = alternative
            self.variant = variant
            self.statistic = statistic
            self.df = df
            self.pvalue = pvalue
            self.cohensD = cohensD
            self.hedgesG = hedgesG
            self.note = note
        }
    }

    /// Déjà Vu (`sslmem dejavu --json`) and SSLMem of the points it calls memorized (paper Table 4).
    public struct DejaVu: Codable, Sendable, Equatable {
        public struct Fraction: Codable, Sendable, Equatable {
            public var q: Double
            public var target: Double
            public var reference: Double
            public var gap: Double?
            public init(q: Double, target: Double, reference: Double, gap: Double?) {
                self.q = q
                self.target = target
                self.reference = reference
                self.gap = gap
            }
        }
        /// SSLMem of the candidates Déjà Vu calls memorized against the rest (one-sided Welch).
        public struct Agreement: Codable, Sendable, Equatable {
            public var memorizedN: Int
            public var memorizedMean: Double
            public var restN: Int
            public var restMean: Double
            public var welchT: Double
            public var pvalue: Double
            enum CodingKeys: String, CodingKey {
                case memorizedN = "memorized_n"
                case memorizedMean = "memorized_mean"
                case restN = "rest_n"
                case
                    restMean = "rest_mean"
                case welchT = "welch_t"
                case pvalue
            }
            public init(
                memorizedN: Int, memorizedMean: Double, restN: Int, restMean: Double, welchT: Double,
                pvalue: Double
            ) {
                self.memorizedN = memorizedN
                self.memorizedMean = memorizedMean
                self.restN = restN
                self.restMean = restMean
                self.welchT = welchT
                self.pvalue = pvalue
            }
        }
        public var k: Int
        public var nA: Int
        public var nB: Int
        public var fractions: [Fraction]
        /// The fraction q of Table 4's target, reference and gap (one of `fractions`);
        /// nil in summaries written before it was recorded, which used the paper's 0.2.
        public var table4Q: Double?
        public var memorized: Double
        public var forgotten: Double
        public var correlated: Double
        public var bothWrong: Double
        public var sweep: [Fraction]
        public var sslmem: Agreement
        enum CodingKeys: String, CodingKey {
            case k
            case nA = "n_A"
            case nB = "n_B"
            case fractions
            case table4Q = "table4_q"
            case memorized, forgotten, correlated
            case
                bothWrong = "both_wrong"
            case sweep, sslmem
        }
        public init(
            k: Int, nA: Int, nB: Int, fractions: [Fraction], table4Q: Double?, memorized: Double,
            forgotten: Double, correlated: Double, bothWrong: Double, sweep: [Fraction], sslmem: Agreement
        ) {
            self.k = k
            self.nA = nA
            self.nB = nB
            self.fractions = fractions
            self.table4Q = table4Q
            self.memorized = memorized
            self.forgotten = forgotten
            self.correlated = correlated
            self.bothWrong = bothWrong
            self.sweep = sweep
            self.sslmem = sslmem
        }
        /// Target, reference and gap at `table4Q`.
        public var table4: Fraction? {
            let q = table4Q ?? 0.2
            return fractions.first { $0.q == q }
        }
    }

    /// The membership audit (`sslmem audit --json`).
    public struct Audit: Codable, Sendable, Equatable {
        public struct Point: Codable, Sendable, Equatable {
            public var fprMax: Double
            public var tpr: Double
            public var fpr: Double
            public var threshold: Double
            /// "not measurable at n = …" where fpr_max < 1/n_non_members; absent otherwise and in older summaries.
            public var note: String?
            enum CodingKeys: String, CodingKey {
                case fprMax = "fpr_max"
                case tpr, fpr, threshold, note
            }
            public init(fprMax: Double, tpr: Double, fpr: Double, threshold: Double, note: String? = nil) {
                self.note = note
                self.fprMax = fprMax
                self.tpr = tpr
                self.fpr = fpr
                self.threshold = threshold
            }
        }
        public struct Signal: Codable, Sendable, Equatable {
            public var signal: String
            public var auc: Double
            /// DeLong's 95% interval of the AUC; absent in summaries written before sslmem computed it.
            public var aucCI95: [Double]?
            public var tprAtFPR: [Point]
            enum CodingKeys: String, CodingKey {
                case signal, auc
                case aucCI95 = "auc_ci95"
                case tprAtFPR = "tpr_at_fpr"
            }
            public init(signal: String, auc: Double, tprAtFPR: [Point], aucCI95: [Double]? = nil) {
                self.aucCI95 = aucCI95
                self.signal = signal
                self.auc = auc
                self.tprAtFPR = tprAtFPR
            }
        }
        public var members: String
        public var nonMembers: String
        public var nMembers: Int
        public var nNonMembers: Int
        public var signals: [Signal]
        enum CodingKeys: String, CodingKey {
            case members
            case nonMembers = "non_members"
            case nMembers = "n_members"
            case nNonMembers = "n_non_members"
            case signals
        }
        public init(members: String, nonMembers: String, nMembers: Int, nNonMembers: Int, signals: [Signal]) {
            self.members = members
            self.nonMembers = nonMembers
            self.nMembers = nMembers
            self.nNonMembers = nNonMembers
            self.signals = signals
        }
    }

    public struct TopPoint: Codable, Sendable, Equatable {
        public var index: Int64
        public var `class`: String
        public var score: Double
        public init(index: Int64, class: String, score: Double) {
            self.index = index
            self.class = `class`
            self.score = score
        }
    }

    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int
        public var sha256: String
        public init(path: String, bytes: Int, sha256: String) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// Reads a summary.json, with an error naming the file and what is wrong.
    public init(json data: Data, path: String) throws {
        do { self = try Self.decoded(from: data) } catch let error as DecodingError {
            throw SSLMemError(
                file: path,
                "not a run summary (" + Self.describe(error)
                    + "); write the run's report again with this version of sslmem")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context): return "\(at(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(at(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(at(context.codingPath)) is malformed"
        @unknown default: return "malformed"
        }
    }
}

/// A JSON object whose members keep the order they were given (a Swift
/// dictionary would not): name → value. Encoding writes them in that order;
/// decoding with Foundation's JSONDecoder keeps every member, in the order the
/// decoder lists them (not the text's: look members up by name).
public struct OrderedObject<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var members: [Member]
    public struct Member: Sendable, Equatable {
        public var name: String
        public var value: Value
    }

    public init(_ members: [(String, Value)]) { self.members = members.map { Member(name: $0.0, value: $0.1) } }

    public subscript(name: String) -> Value? { members.first { $0.name == name }?.value }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        members = try container.allKeys.map {
            Member(name: $0.stringValue, value: try container.decode(Value.self, forKey: $0))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for member in members { try container.encode(member.value, forKey: Key(stringValue: member.name)) }
    }
}
