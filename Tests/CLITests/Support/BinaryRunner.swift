import Foundation
import Testing

/// Runs one of the package's executables, built next to this test bundle (SwiftPM puts products and the
/// test runner in one folder), else in the package's `.build/debug`.
struct BinaryRunner {
    /// What one run did.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let name: String

    var binary: URL? {
        let folders = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
            + Bundle.allBundles.flatMap { [$0.bundleURL, $0.bundleURL.deletingLastPathComponent()] }
            + [URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug")]
        return folders.map { $0.resolvingSymlinksInPath().appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs the binary with `arguments` and `environment` added; kills it after `timeout` seconds.
    func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 300) throws -> Run {
        let executable: URL = try #require(binary, "\(name) not found next to the tests; run `swift build` first")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // stdout through a pipe read to its end; stderr into a file, so neither can block the child.
        let out = Pipe()
        let errPath = temporaryPath("stderr")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try #require(FileHandle(forWritingAtPath: errPath))
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        try err.close()
        let stderrData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                   stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

/// A fresh path in the temporary directory.
func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "fishertrace-cli-\(UUID().uuidString)-\(name)"
}
