import ArgumentParser
import ScanAPI

@main
struct ScanshCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scansh",
    abstract: "A shell for Alibaba Cloud's Cloud Security Scanner scan tasks (DescribeScans).",
    version: ScanAPIInfo.version,
    subcommands: [SimCommand.self]
  )

  func run() throws {
    print("scansh: the language arrives in a later issue")
  }
}
