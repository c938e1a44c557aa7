import Foundation
import Mustache
import SSLMemIO

/// The Mustache templates of the reports (templates/): `report.html` for a
/// run, `compare.html` for a comparison, and the `style` partial both include.
public struct ReportTemplates: Sendable {
    let library: MustacheLibrary

    public static let names = ["style", "report.html", "compare.html", "sweep.html"]

    /// Loads the templates from `folder`, with an error naming the file that is missing or malformed.
    public init(folder: String) throws {
        var library = MustacheLibrary()
        for name in Self.names {
            let path = "\(folder)/\(name).mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw SSLMemError(file: path, "cannot read the template")
            }
            do { try library.register(text, named: name) } catch {
                throw SSLMemError(file: path, "malformed Mustache template (\(error))")
            }
        }
        self.library = library
    }

    func render(_ context: [String: Any], template: String) throws -> String {
        guard let html = library.render(context, withTemplate: template) else {
            throw SSLMemError("no template named \(template)")
        }
        return html
    }
}
