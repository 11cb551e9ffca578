import ArgumentParser
import QueryLanguage
import Shell
import Vocabulary

extension OutputFormat: ExpressibleByArgument {}

/// `30s`, `250ms`, `5m`: durations as scansh writes them everywhere. Retroactive on purpose: the
/// executable is the only module that knows ArgumentParser, and no other module will conform it.
// swift-format-ignore: AvoidRetroactiveConformances
extension Duration: @retroactive ExpressibleByArgument {
  public init?(argument: String) {
    guard let duration = DurationText.parse(argument) else { return nil }
    self = duration
  }

  public var defaultValueDescription: String { DurationText.format(self) }
}

/// Options every way of running scansh shares.
struct GlobalOptions: ParsableArguments {
  @Option(help: "DescribeScans endpoint URL (https; plain http only to loopback).") var endpoint: String?
  @Option(
    help: "Profile of aliyun-cli's ~/.aliyun/config.json (any mode); several, comma-separated, are read as one listing."
  )
  var profile: String?
  @Flag(help: "Read every profile of ~/.aliyun/config.json as one listing (demo mode: demo and demo-dev).")
  var allProfiles = false
  @Option(help: "Region ID, shown in the prompt; every region uses the same endpoint.") var region: String?
  @Flag(help: "Use the built-in simulator even when credentials are configured.") var demo = false
  @Option(help: "Output format.") var format: OutputFormat?
  @Option(help: "Largest page to ask for (\(LanguageReference.setting(.pagesize).accepted)).") var pageSize: Int?
  @Option(help: "Pages fetched at once (\(LanguageReference.setting(.concurrency).accepted)).") var concurrency: Int?
  @Flag(help: "No colour, even on a terminal (NO_COLOR works too).") var noColor = false
  @Flag(help: "One stderr line per request and retry; secrets and signatures are never shown.") var verbose = false
  @Flag(help: "In scripts, go on after a failed statement.") var keepGoing = false
  @Option(name: .customLong("var"), help: "Set a script parameter, e.g. --var days=7d (repeatable).")
  var variables: [String] = []
  @Option(
    help: ArgumentHelp(
      "Write the checks of the scripts (or -c) as JUnit XML to FILE when the run ends.", valueName: "file"))
  var junit: String?
  @Flag(help: "Never send long results through a pager ($PAGER, default less -FRXK).") var noPager = false
  @Option(help: "Per-request timeout, e.g. 20s.") var timeout: Duration = .seconds(20)

  func validate() throws {
    // The same bounds as `set pagesize` and `set concurrency`, from the language reference.
    for (flag, value, name) in [
      ("--page-size", pageSize, SettingSpec.Name.pagesize), ("--concurrency", concurrency, .concurrency),
    ] {
      let setting = LanguageReference.setting(name)
      if let value, setting.validate(String(value)) == nil {
        throw ValidationError(setting.rejection(of: String(value), as: flag).message)
      }
    }
    guard timeout > .zero else { throw ValidationError("--timeout takes a duration such as 20s") }
    for variable in variables {
      guard let equals = variable.firstIndex(of: "="), equals != variable.startIndex else {
        throw ValidationError("--var takes NAME=VALUE, such as --var days=7d; got '\(variable)'")
      }
    }
  }

  var launch: LaunchOptions {
    var options = LaunchOptions()
    options.endpoint = endpoint
    options.profile = profile
    options.region = region
    options.demo = demo
    options.allProfiles = allProfiles
    options.format = format
    options.pageSize = pageSize
    options.concurrency = concurrency
    options.noColor = noColor
    options.verbose = verbose
    options.keepGoing = keepGoing
    for variable in variables {
      let equals = variable.firstIndex(of: "=")!
      options.variables[String(variable[..<equals])] = String(variable[variable.index(after: equals)...])
    }
    options.noPager = noPager
    options.junit = junit
    options.timeout = timeout
    return options
  }
}
