import SSLMemModel
import SSLMemStats

extension SubsetTest {
    /// One two-sample t-test of the scores of subset `a` against those of subset `b` (`sslmem stats --a A --b B`):
    /// the test of Table 2 for any pair, e.g. candidate > independent, which the paper's four pairs leave out.
    /// Student's pooled-variance test, or Welch's with `welch`; one-sided "greater" (mean of a above mean of b)
    /// unless `alternative` says otherwise. Cohen's d and Hedges' g as in `TTest.twoSample`. A subset that is
    /// missing or too small gives a test marked not computable, with the reason.
    public static func between(
        _ a: Subset, _ b: Subset, in table: ScoresTable, welch: Bool = false,
        alternative: Alternative = .greater
    ) -> SubsetTest {
        SubsetTest(
            a: a, b: b, value: 0,
            result: TTest.twoSample(
                table.scores(of: a), table.scores(of: b), variant: welch ? .welch : .student, alternative: alternative))
    }
}
