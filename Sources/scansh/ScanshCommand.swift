import ArgumentParser
import QueryLanguage
import ScanAPI
import Shell
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

@main
struct ScanshCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scansh",
    abstract: "A shell for Alibaba Cloud's Cloud Security Scanner scan tasks (DescribeScans).",
    usage: """
      scansh [<options>]                  the shell (stdin's script if piped)
      scansh [<options>] -c <statements>  run statements and exit
      scansh [<options>] <file> ...       replay script files in order
      """,
    discussion: """
      With no arguments on a terminal, starts the interactive shell; otherwise runs the statements \
      of -c, of the FILEs, or of stdin. With no credentials and no --endpoint, runs in demo mode \
      against a built-in simulator.

      Examples:
        scansh -c 'scans where status = running | sort RunPercent desc | first 10'
        scansh -c 'scans | group status' --format csv
        scansh ci-gate.scansh                 # exit 1 when an expect fails
        echo 'scans | count' | scansh

      Exit codes: 0 success, 1 expect/watch condition failed, 2 usage or parse error,
      3 API error, 4 network error, 5 a file could not be written, 70 internal error,
      129 hung up, 130 interrupted, 143 terminated.
      """,
    version: AppInfo.version,
    subcommands: [SimCommand.self, RunCommand.self]
  )

  /// `sim` and `run` are dispatched by hand: the root's FILE arguments would otherwise take their
  /// names. Usage errors exit 2, as docs/design.md §2 says, not ArgumentParser's 64.
  static func main() {
    // A parent may have left signals blocked (test runners and CI agents do); Ctrl-C and SIGTERM
    // must reach us.
    var none = sigset_t()
    sigemptyset(&none)
    sigprocmask(SIG_SETMASK, &none, nil)
    var arguments = Array(CommandLine.arguments.dropFirst())
    let command: any ParsableCommand.Type
    switch arguments.first {
    case "sim":
      command = SimCommand.self
      arguments.removeFirst()
    case "run":
      command = RunCommand.self
      arguments.removeFirst()
    case "help" where arguments.count == 2 && ["sim", "run"].contains(arguments[1]):
      // ArgumentParser's help points at `scansh help <subcommand>`.
      command = arguments[1] == "sim" ? SimCommand.self : RunCommand.self
      arguments = ["--help"]
    default:
      command = Self.self
    }
    do {
      if command == Self.self, let sources = try plainSources(arguments) {
        Glibc.exit(launch(LaunchOptions(), scripts: sources).rawValue)
      }
      var parsed = try command.parseAsRoot(arguments)
      try parsed.run()
    } catch let code as ArgumentParser.ExitCode {
      // How every statement run ends: no message to build (ArgumentParser's would lay out help).
      Glibc.exit(code.rawValue)
    } catch {
      let code = Self.exitCode(for: error)
      let message = Self.fullMessage(for: error)
      if code == .success {
        // --help and --version.
        if !message.isEmpty { print(message) }
        Glibc.exit(0)
      }
      FileDescriptorSink.standardError.write(message + "\n")
      Glibc.exit(Shell.ExitCode.usage.rawValue)
    }
  }

  /// `scansh -c STATEMENTS` and `scansh FILE…` with no option, the shapes CI runs most, read
  /// without ArgumentParser, which reflects over every option first: about 2 ms of an 8 ms start.
  /// They mean exactly what `run()` makes of them with every option at its default; anything
  /// else (an option, a value starting with `-`, `help`) is ArgumentParser's.
  static func plainSources(_ arguments: [String]) throws -> [SourceText]? {
    if arguments.count == 2, arguments[0] == "-c", !arguments[1].hasPrefix("-") {
      return [SourceText(arguments[1], name: "-c")]
    }
    guard let first = arguments.first, first != "help", arguments.allSatisfy({ !$0.hasPrefix("-") }) else {
      return nil
    }
    return try arguments.map { SourceText(try Session.readScript($0), name: $0) }
  }

  @OptionGroup var options: GlobalOptions
  @Option(
    name: .customShort("c"),
    help: ArgumentHelp("Run these statements (newline- or ';'-separated) and exit.", valueName: "statements"))
  var command: String?
  @Argument(help: "Script files to run in order.") var files: [String] = []

  func run() throws {
    let sources: [SourceText]?
    if let command {
      sources = [SourceText(command, name: "-c")]
    } else if !files.isEmpty {
      sources = try files.map { SourceText(try Session.readScript($0), name: $0) }
    } else if isatty(0) == 0 {
      let data = ReadableFile(descriptor: 0, owned: false).readToEnd()
      sources = [SourceText(String(decoding: data, as: UTF8.self), name: "<stdin>")]
    } else {
      sources = nil
    }
    throw ExitCode(launch(options, scripts: sources).rawValue)
  }
}

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "run", abstract: "Replay script files in order.")

  @OptionGroup var options: GlobalOptions
  @Argument(help: "Script files to run in order.") var files: [String]

  func run() throws {
    let sources = try files.map { SourceText(try Session.readScript($0), name: $0) }
    throw ExitCode(launch(options, scripts: sources).rawValue)
  }
}

/// Hands the parsed options to the shell, with the simulator demo mode starts.
func launch(_ options: GlobalOptions, scripts: [SourceText]?) -> Shell.ExitCode {
  launch(options.launch, scripts: scripts)
}

func launch(_ options: LaunchOptions, scripts: [SourceText]?) -> Shell.ExitCode {
  Launcher.run(
    options, scripts: scripts, environment: ProcessInfo.processInfo.environment, startDemo: DemoSimulator.start)
}
