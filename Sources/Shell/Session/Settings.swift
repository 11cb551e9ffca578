import QueryEngine
import QueryLanguage
import Vocabulary

/// What `set NAME VALUE` changes, with defaults: the session's settings, presentation ones (time
/// zone, colour, pager) among them. The planner gets what it needs of them as `plan`.
public struct Settings: Sendable, Equatable {
  public enum TimeZoneSetting: Sendable, Equatable {
    case local
    case utc
  }

  public enum ColorSetting: String, Sendable, Equatable {
    case auto, on, off
  }

  public var pageSize = 100
  public var concurrency = 8
  /// nil: the default for where output goes (table).
  public var format: OutputFormat?
  /// Sent as `Lang` when set.
  public var lang: String?
  public var timeZone = TimeZoneSetting.local
  public var color = ColorSetting.auto
  /// Sent as `SourceIp` when set.
  public var sourceIp: String?
  /// Results taller than the terminal go through the pager.
  public var pager = true
  /// `notify` stages notify.
  public var notify = true
  /// Seconds an `exec` may run.
  public var execTimeout = 30

  public init() {}

  /// What planning and evaluating take from these.
  public var plan: PlanSettings {
    PlanSettings(pageSize: pageSize, concurrency: concurrency, lang: lang, sourceIp: sourceIp, utc: timeZone == .utc)
  }

  /// Applies `set NAME VALUE`, checked against the setting's entry in the language reference, or
  /// explains what is wrong with a span.
  public mutating func apply(name: Located<String>, value: Value) throws(Diagnostic) {
    guard let spec = LanguageReference.setting(named: name.value) else {
      let names = LanguageReference.settingNames
      throw Diagnostic(
        "unknown setting '\(name.value)'", at: name.span,
        help: Suggestion.didYouMean(name.value, in: names) ?? "settings: " + names.joined(separator: ", "))
    }
    guard let text = spec.validate(value.string) else {
      let rejection = spec.rejection(of: value.string)
      throw Diagnostic(rejection.message, at: value.span, help: rejection.help)
    }
    switch spec.name {
    case .pagesize: pageSize = Int(text)!
    case .concurrency: concurrency = Int(text)!
    case .format: format = OutputFormat(rawValue: text)
    case .lang: lang = text
    case .timezone: timeZone = text == "utc" ? .utc : .local
    case .color: color = ColorSetting(rawValue: text)!
    case .sourceip: sourceIp = text == "off" ? nil : text
    case .pager: pager = text == "on"
    case .notify: notify = text == "on"
    case .exectimeout: execTimeout = Int(text)!
    }
  }

  /// The value of a setting as `show settings` prints it.
  public func value(of name: SettingSpec.Name) -> String {
    switch name {
    case .pagesize: String(pageSize)
    case .concurrency: String(concurrency)
    case .format: format?.rawValue ?? LanguageReference.setting(.format).defaultValue
    case .lang: lang ?? LanguageReference.setting(.lang).defaultValue
    case .timezone: timeZone == .utc ? "utc" : "local"
    case .color: color.rawValue
    case .sourceip: sourceIp ?? LanguageReference.setting(.sourceip).defaultValue
    case .pager: pager ? "on" : "off"
    case .notify: notify ? "on" : "off"
    case .exectimeout: String(execTimeout)
    }
  }

  /// `show settings`, one `name value` line each, in the reference's order.
  public var lines: [String] {
    LanguageReference.settings.map { $0.name.rawValue.padded(to: 13) + value(of: $0.name) }
  }
}
