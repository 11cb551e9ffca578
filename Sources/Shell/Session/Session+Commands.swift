import QueryEngine
import QueryLanguage
import ScanAPI
import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Session {
  func run(_ command: Command, source: SourceText, checked: BoundPipeline? = nil) async throws -> Flow {
    switch command {
    case .help(let topic):
      // Wrapped at words to the terminal, or to 80 columns when not on one.
      let width = options.outputIsTerminal ? options.terminalWidth() ?? 80 : 80
      output.write(WordWrap.wrap(try topic.map(HelpText.topic) ?? HelpText.overview, width: width))
    case .set(let name, let value):
      try change { (state) throws(Diagnostic) in try state.settings.apply(name: name, value: value) }
    case .show(let topic):
      switch topic.value {
      case .settings: output.write(settings.lines.map { $0 + "\n" }.joined())
      case .fields: output.write(HelpText.fields)
      case .params:
        let names = parametersInForce.keys.sorted()
        let width = max(5, names.map(\.count).max() ?? 0) + 2
        output.write(
          names.isEmpty
            ? "(no parameters: declare one with param NAME = VALUE)\n"
            : names.map { name in
              let value = parametersInForce[name]!
              let shown = SecretText.maskURLs(in: value.text)
              return name.padded(to: width) + "'\(shown)'".padded(to: 16) + " from " + value.origin + "\n"
            }.joined())
      case .config:
        let lines = await options.describeConnection?() ?? options.connection.lines
        output.write(lines.map { $0 + "\n" }.joined())
      }
    case .explain(let pipeline):
      let bound = try binding(pipeline, source: source, checked: checked)
      let plan = Planner(settings: settings.plan).plan(bound, source: source)
      output.write(ExplainText.render(plan, pipeline: pipeline, source: source, accounts: accounts))
    case .history:
      guard let history = options.history else {
        throw ShellError.notAvailable("history is kept by the interactive shell only")
      }
      let entries = history()
      let width = String(entries.count).count
      output.write(
        entries.enumerated().map {
          String(repeating: " ", count: width - String($0.offset + 1).count) + "\($0.offset + 1)  \($0.element)\n"
        }
        .joined())
    case .source(let path):
      try await runSourced(path.value)
    case .use(let names):
      guard let useAccounts = options.useAccounts else {
        throw ShellError.notAvailable("'use' needs accounts to choose from: aliyun-cli profiles, or demo mode")
      }
      let now = try await useAccounts(names.map(\.value))
      change { $0.accounts = now }
    case .exit:
      return .exit
    case .report(let taskIds, let spec):
      try await runReportCommand(taskIds: taskIds, spec: spec, source: source)
    case .param(let name, let value):
      // In a script, a declaration (its value was taken when the script was read); in the shell,
      // a definition for the rest of the session.
      if options.interactive, let value {
        change { $0.parameters[name.value] = ParameterValue(value.string, origin: "param in this session") }
      }
    }
    return .next
  }

  private func runSourced(_ path: String) async throws {
    let depth = change { $0.sourceDepth }
    guard depth < Self.maxSourceDepth else { throw ShellError.sourceTooDeep(Self.maxSourceDepth) }
    let text = try Self.readScript(evaluator.resolve(path))
    change { $0.sourceDepth += 1 }
    defer { change { $0.sourceDepth -= 1 } }
    let result = await run(SourceText(text, name: path))
    if result.code != .success { throw ShellError.sourcedScriptFailed(result.code) }
  }

  /// Reads a script file as UTF-8.
  public static func readScript(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ShellError.cannotRead(
        path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ShellError.cannotRead(path: path, reason: "not UTF-8 text")
    }
    return text
  }
}
