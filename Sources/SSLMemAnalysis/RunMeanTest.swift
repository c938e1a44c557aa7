import SSLMemIO
import SSLMemModel
import SSLMemStats

/// Whether two runs memorize their candidates to a different degree: Welch's
/// two-sample t-test, two-sided, between the runs' candidate scores (the
/// points of each run as its sample; runs need not share points).
public struct RunMeanTest: Sendable {
    /// Positions of the two runs.
    public var a: Int
    public var b: Int
    public var result: TTestResult

    /// Every pair i < j of `tables`.
    public static func pairs(_ tables: [ScoresTable]) -> [RunMeanTest] {
        tables.indices.flatMap { i in
            tables.indices.filter { $0 > i }.map { j in
                RunMeanTest(
                    a: i, b: j,
                    result: TTest.twoSample(
                        tables[i].scores(of: .candidate),
                        tables[j].scores(of: .candidate), variant: .welch))
            }
        }
    }
}
