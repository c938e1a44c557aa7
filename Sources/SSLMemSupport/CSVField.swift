import Foundation

/// CSV fields and lines (RFC 4180): a field holding a comma, quote or line
/// break is quoted, quotes doubled; the typographic minus of report tables is
/// written as "-" so numbers read back as numbers.
public enum CSV {
    public static func field(_ text: String) -> String {
        // Most fields are plain numbers: no byte of a minus (U+2212 is E2 88 92), comma, quote or line break.
        guard text.utf8.contains(where: { $0 == 0xE2 || $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D })
        else { return text }
        let plain = text.replacingAll("−", with: "-")
        guard plain.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return plain }
        return "\"" + plain.replacingAll("\"", with: "\"\"") + "\""
    }

    /// One line of fields, without the line break.
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
