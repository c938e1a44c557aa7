/// A JSON document built in code, rendered with keys in the order given, so
/// `--json` output has a fixed shape and the same bytes for the same input.
/// Numbers use Swift's shortest round-trip form; NaN and ±∞ become null.
public indirect enum JSONValue: Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case number(Double)
    case integer(Int)
    case string(String)
    case null

    public var text: String {
        switch self {
        case .object(let members):
            return "{" + members.map { "\(JSONValue.string($0.0).text): \($0.1.text)" }.joined(separator: ", ") + "}"
        case .array(let items):
            return "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .number(let x):
            return x.isFinite ? "\(x)" : "null"
        case .integer(let n):
            return "\(n)"
        case .string(let s):
            var escaped = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped + "\""
        case .null:
            return "null"
        }
    }
}

extension JSONValue {
    /// The same value with every non-finite number as the string "nan", "inf" or "-inf" (what
    /// Foundation's JSONDecoder reads back with `.convertFromString`): the convention of summary.json
    /// and comparison.json, whose numbers must survive a round trip.
    public static func finiteAsText(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let x) where !x.isFinite: return .string(x.isNaN ? "nan" : x > 0 ? "inf" : "-inf")
        case .object(let members): return .object(members.map { ($0.0, finiteAsText($0.1)) })
        case .array(let items): return .array(items.map(finiteAsText))
        default: return value
        }
    }
}
