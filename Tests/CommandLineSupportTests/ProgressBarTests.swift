import Foundation
import Testing
import CommandLineSupport

@Suite struct ProgressBarTests {
    /// A clock the test moves by hand and a recording of what the bar wrote.
    final class Harness: @unchecked Sendable {
        let lock = NSLock()
        var now = 100.0
        var written: [String] = []
        func output(terminal: Bool) -> ProgressBar.Output {
            ProgressBar.Output(isTerminal: terminal, width: 60) { text in
                self.lock.lock()
                self.written.append(text)
                self.lock.unlock()
            }
        }
        func bar(terminal: Bool = true, total: Int = 10) -> ProgressBar {
            ProgressBar(label: "moments", total: total, output: output(terminal: terminal)) { self.now }
        }
    }

    @Test func silentDuringTheFirstHalfSecond() {
        let h = Harness()
        let bar = h.bar()
        h.now += 0.4
        bar.advance(by: 5)
        bar.finish()
        #expect(h.written.isEmpty)
    }

    @Test func drawsAfterTheDelayAndErasesOnFinish() throws {
        let h = Harness()
        let bar = h.bar()
        h.now += 0.6
        bar.advance(by: 3)
        let line = try #require(h.written.first)
        #expect(line.hasPrefix("\rmoments [") && line.contains("]  30%  0.6 s"))
        #expect(line.count <= 60)
        h.now += 0.05
        bar.advance()  // within 0.1 s of the last draw: no redraw
        #expect(h.written.count == 1)
        h.now += 0.1
        bar.advance(by: 100)  // clamps at the total
        #expect(h.written.last?.contains(" 100% ") == true)
        bar.finish()
        #expect(h.written.last == "\r" + String(repeating: " ", count: 59) + "\r")
        let count = h.written.count
        bar.advance()
        bar.finish()
        #expect(h.written.count == count)
    }

    @Test func neverDrawsWhenNotATerminal() {
        let h = Harness()
        let bar = h.bar(terminal: false)
        for _ in 0..<10 {
            h.now += 1
            bar.advance()
        }
        bar.finish()
        #expect(h.written.isEmpty)
    }

    @Test func barFillsInProportion() throws {
        let h = Harness()
        let bar = h.bar(total: 4)
        h.now += 1
        bar.advance(by: 2)
        let line = try #require(h.written.first)
        let inside = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
        #expect(inside.filter { $0 == "#" }.count == inside.count / 2)
    }
}
