/// The one error type the toolkit reports to users: a single line naming the
/// file, the dataset and, where it applies, the point (its `/points/index`).
public struct SSLMemError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String?
    public var dataset: String?
    public var point: Int64?
    public var message: String

    public init(file: String? = nil, dataset: String? = nil, point: Int64? = nil, _ message: String) {
        self.file = file
        self.dataset = dataset
        self.point = point
        self.message = message
    }

    /// `file: dataset: point 123: message`, leaving out the parts that do not apply.
    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let dataset { parts.append(dataset) }
        if let point { parts.append("point \(point)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }

    /// The same error located in `file` (and `dataset`) unless it already names them.
    public func located(file: String? = nil, dataset: String? = nil) -> SSLMemError {
        var copy = self
        if copy.file == nil { copy.file = file }
        if copy.dataset == nil { copy.dataset = dataset }
        return copy
    }
}
