import Foundation

/// A result written as a JSON document with summary.json's conventions: members in
/// declaration order (`JSONValueEncoder`), the same bytes for the same value, and
/// non-finite numbers as the strings "nan", "inf" and "-inf" (JSON has no literal
/// for them). RunSummary (summary.json), ComparisonSummary (comparison.json) and
/// SweepSummary (sweep.json) are such documents.
public protocol SummaryDocument: Codable {}

extension SummaryDocument {
    /// The JSON text.
    public func encoded() throws -> Data {
        Data(JSONValue.finiteAsText(try JSONValueEncoder.encode(self)).text.utf8)
    }

    /// Decodes a document written by `encoded()` ("nan"/"inf"/"-inf" read back as numbers); throws the
    /// `DecodingError` for the caller to turn into a message naming the file.
    public static func decoded(from data: Data) throws -> Self {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf",
            nan: "nan")
        return try decoder.decode(Self.self, from: data)
    }
}
