import Testing
import CommandLineSupport

@Suite struct TextTableTests {
    @Test func alignsColumnsLeftAndRight() {
        var table = TextTable([.init("kernel"), .init("threads", .right), .init("GB/s", .right)])
        table.append(["moments", "1", "19.8"])
        table.append(["moments+diagonal", "2", "125.0"])
        #expect(table.rendered() == """
            kernel            threads   GB/s
            ----------------  -------  -----
            moments                 1   19.8
            moments+diagonal        2  125.0

            """)
    }

    @Test func trailingSpacesAreTrimmedAndEmptyTableHasHeaderOnly() {
        var table = TextTable([.init("a"), .init("long title")])
        #expect(table.rendered() == "a  long title\n-  ----------\n")
        table.append(["xyz", ""])
        #expect(table.rendered().hasSuffix("\nxyz\n"))
    }

    @Test func widthCountsCharactersNotBytes() {
        var table = TextTable([.init("‖g‖²"), .init("x", .right)])
        table.append(["ω", "1"])
        #expect(table.rendered() == "‖g‖²  x\n----  -\nω     1\n")
    }
}
