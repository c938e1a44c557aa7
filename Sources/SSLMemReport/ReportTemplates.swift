import Foundation
import Mustache
import SSLMemIO
import SSLMemSupport

/// The Mustache templates of the reports: `document.html`, the page of every report (run, comparison,
/// sweep), which renders a `ReportDocument`'s blocks (`HTMLRenderer`), and the `style` and `explore` partials
/// it includes. The toolkit's templates/ are built into the binary
/// (`builtIn`, from EmbeddedTemplates.swift, which scripts/embed_templates.sh
/// generates), so a report needs no file beside the executable; a folder of
/// templates only overrides them.
public struct ReportTemplates: Sendable {
    let library: MustacheLibrary

    public static let names = ["style", "explore", "document.html"]

    /// The templates compiled into the binary.
    public static func builtIn() throws -> ReportTemplates {
        try ReportTemplates(texts: Self.names.map { name in (name, embedded[name] ?? "", "built-in \(name) template") })
    }

    /// Loads the templates from `folder`, with an error naming the folder or file that is missing or malformed.
    public init(folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SSLMemError(file: folder, "no such folder of templates")
        }
        try self.init(
            texts: try Self.names.map { name in
                let path = "\(folder)/\(name).mustache"
                // The point explorer (added after template folders existed) falls back to the built-in one.
                if name == "explore", !FileManager.default.fileExists(atPath: path) {
                    return (name, Self.embedded[name] ?? "", "built-in \(name) template")
                }
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw SSLMemError(file: path, "cannot read the template")
                }
                return (name, text, path)
            })
    }

    init(texts: [(name: String, text: String, origin: String)]) throws {
        var library = MustacheLibrary()
        for (name, text, origin) in texts {
            do { try library.register(text, named: name) } catch {
                throw SSLMemError(file: origin, "malformed Mustache template (\(error))")
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
