import Foundation
import Testing
import CommandLineSupport

@Suite struct AtomicFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "atomic-file-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
    }

    @Test func writesANewFileAndReplacesAnOldOneCompletely() throws {
        let path = directory + "/out.json"
        try AtomicFile.write("first version, longer than the second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first version, longer than the second\n")
        try AtomicFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try leftovers().isEmpty)
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func newFileGetsTheUsualModeAndExistingFileKeepsItsMode() throws {
        let fresh = directory + "/fresh.txt"
        try AtomicFile.write("x", to: fresh)
        let mask = umask(0)
        umask(mask)
        let freshMode = try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int
        #expect(freshMode == Int(0o666 & ~mask))

        let kept = directory + "/kept.txt"
        _ = FileManager.default.createFile(atPath: kept, contents: Data("old".utf8), attributes: [.posixPermissions: 0o640])
        try AtomicFile.write("new", to: kept)
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? Int == 0o640)
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func failureNamesTheFileAndLeavesNothingBehind() throws {
        let missing = directory + "/no/such/dir/out.json"
        #expect {
            try AtomicFile.write("x", to: missing)
        } throws: { error in
            let e = error as? ToolError
            return e?.file == missing && e?.problem.hasPrefix("cannot create a file in ") == true
                && e?.description.hasSuffix("(expected a writable location)") == true
        }
        // Renaming onto a directory fails after the data were written: the directory and nothing else remain.
        let blocked = directory + "/blocked"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        #expect(throws: ToolError.self) { try AtomicFile.write("x", to: blocked) }
        #expect(try leftovers().isEmpty)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: blocked, isDirectory: &isDirectory) && isDirectory.boolValue)
        try FileManager.default.removeItem(atPath: directory)
    }
}
