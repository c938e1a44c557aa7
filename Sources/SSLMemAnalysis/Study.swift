import Foundation
import SSLMemIO

/// A study folder read whole (`StudyManifest`): its runs as `RunSource`s (seeds of setups) and its removal
/// experiment (`RemovalRuns`), when the manifest names one.
public struct Study: Sendable {
    public var directory: String
    public var sources: [RunSource]
    public var removal: RemovalRuns?
    /// The manifest and the removal CSV it names (the study's own files, beside the runs' inputs).
    public var studyFiles: [String]
    /// Every file the study's numbers come from.
    public var inputs: [String]

    public init(directory: String) throws {
        let manifest = try StudyManifest(directory: directory)
        self.directory = directory
        sources = try manifest.sources()
        removal = try manifest.removal.map { try RemovalRuns(csvFile: manifest.resolve($0)) }
        inputs = [directory + "/study.json"] + manifest.inputFiles
        studyFiles = [directory + "/study.json"] + [manifest.removal.map(manifest.resolve)].compactMap { $0 }
    }
}
