import Foundation

/// CSV fields and lines (RFC 4180): a field holding a comma, quote or line
/// break is quoted, quotes doubled; the typographic minus of report tables is
/// written as "-" so numbers read back as numbers.
public enum CSV {
    public static func field(_ text: String) -> String {
        let plain = text.replacingOccurrences(of: "−", with: "-")
        guard plain.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return plain }
        return "\"" + plain.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line of fields, without the line break.
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
