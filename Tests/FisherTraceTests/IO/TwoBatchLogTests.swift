import Testing
@testable import FisherTrace

@Suite struct TwoBatchLogTests {
    @Test func readsTheCommittedLog() throws {
        let steps = try TwoBatchLog.read(path: FixtureFiles.path("noise_log.csv"))
        #expect(steps.count == 200)
        #expect(steps.allSatisfy { $0.smallBatch == 32 && $0.bigBatch == 256 })
        // The log was written with |G|² = 4 and tr(Σ) = 4096 (5 % noise per norm): B_simple ≈ 1024.
        var estimator = TwoBatchNoiseEstimator(smoothing: 0.99)
        for step in steps { estimator.update(step) }
        let noiseScale = try #require(estimator.current?.noiseScale)
        #expect(abs(noiseScale / 1024 - 1) < 0.25)
    }

    @Test func columnsInAnyOrderCommentsBlanksAndCRLF() throws {
        let text = "# log\r\n\r\ng_big_sq, b_big ,extra,g_small_sq,b_small\r\n1.5,64,x,2.5,8\r\n  # late comment\n0,16,y,3e2,4\n"
        #expect(try TwoBatchLog.parse(text, file: "log.csv") == [
            .init(smallBatch: 8, smallGradientNormSquared: 2.5, bigBatch: 64, bigGradientNormSquared: 1.5),
            .init(smallBatch: 4, smallGradientNormSquared: 300, bigBatch: 16, bigGradientNormSquared: 0),
        ])
    }

    static let badLogs: [(String, String)] = [
        ("step,b_small,g_small_sq,b_big\n1,2,3,4\n", "line 1 (the header) lacks column 'g_big_sq' (expected the columns b_small, g_small_sq, b_big, g_big_sq in any order; others such as step are ignored)"),
        ("b_small,g_small_sq,b_big,g_big_sq\n8,1,64\n", "line 2 has 3 fields (expected 4, as the header)"),
        ("b_small,g_small_sq,b_big,g_big_sq\n8,1,64,2\n8,abc,64,2\n", "line 3, column 'g_small_sq' is 'abc' (expected a finite number ≥ 0)"),
        ("b_small,g_small_sq,b_big,g_big_sq\n0,1,64,2\n", "line 2, column 'b_small' is '0' (expected a finite batch size > 0)"),
        ("b_small,g_small_sq,b_big,g_big_sq\n8,1,64,nan\n", "line 2, column 'g_big_sq' is 'nan' (expected a finite number ≥ 0)"),
        ("b_small,g_small_sq,b_big,g_big_sq\n8,1,8,2\n", "line 2, column 'b_big' is '8' (expected more than b_small = 8)"),
        ("b_small,g_small_sq,b_big,g_big_sq\n# nothing\n", "no data rows after the header (expected one row per step)"),
        ("# only comments\n\n", "no header line (expected a line naming the columns b_small, g_small_sq, b_big, g_big_sq)"),
    ]

    @Test(arguments: badLogs)
    func badLogsNameTheLineAndColumn(_ text: String, _ message: String) {
        #expect(thrownError(FileError.self) { _ = try TwoBatchLog.parse(text, file: "log.csv") }?.description == "log.csv: " + message)
    }

    @Test func unreadableLog() {
        #expect(thrownError(FileError.self) { _ = try TwoBatchLog.read(path: "/nonexistent/log.csv") }?.description
            == "/nonexistent/log.csv: cannot be read (No such file or directory)")
    }
}
