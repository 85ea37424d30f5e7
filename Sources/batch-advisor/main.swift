import Advisor
import CommandLineSupport

CommandLineTool.main(BatchAdvisor.tool) { arguments in
    try BatchAdvisor.run(arguments) { print($0, terminator: "") }
}
