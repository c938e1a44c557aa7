import SSLMemAnalysis
import SSLMemFigures
import SSLMemReport
import SSLMemTestSupport

extension ComparisonReport {
    /// The fixtures' SimCLR and VICReg runs compared with fixtures/removal_example.csv, as `sslmem report
    /// --compare` makes it: the comparison report the report tests write and inspect.
    static func fixtureComparison() throws -> ComparisonReport {
        try ComparisonReport(
            runs: [
                try RunSource(Repository.fixture("expected/simclr_allpairs_l2_range.csv"), name: "SimCLR"),
                try RunSource(Repository.fixture("expected/vicreg_allpairs_cosine_none.csv"), name: "VICReg")
            ],
            title: nil, removal: try RemovalResults(csvFile: Repository.fixture("removal_example.csv")),
            commandLine: "sslmem report --compare (test)")
    }
}
