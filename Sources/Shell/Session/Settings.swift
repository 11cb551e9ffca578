import QueryEngine
import QueryLanguage
import Vocabulary

/// What `set NAME VALUE` changes, with defaults: the session's settings, presentation ones (time
/// zone, colour, pager) among them. The planner gets what it needs of them as `plan`.
public struct Settings: Sendable, Equatable {
  public enum TimeZoneSetting: String, Sendable, Equatable {
    case local, utc
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
    let rejection = {
      let rejection = spec.rejection(of: value.string)
      return Diagnostic(rejection.message, at: value.span, help: rejection.help)
    }
    guard let text = spec.validate(value.string) else { throw rejection() }
    // The reference's words and these conversions are two lists; a word one has and the other
    // lacks is rejected as any bad value is (`SettingsTests` applies every word it offers).
    func converted<T>(_ make: (String) -> T?) throws(Diagnostic) -> T {
      guard let made = make(text) else { throw rejection() }
      return made
    }
    let onOff = { (text: String) in ["on": true, "off": false][text] }
    switch spec.name {
    case .pagesize: pageSize = try converted { Int($0) }
    case .concurrency: concurrency = try converted { Int($0) }
    case .format: format = try converted(OutputFormat.init(rawValue:))
    case .lang: lang = text
    case .timezone: timeZone = try converted(TimeZoneSetting.init(rawValue:))
    case .color: color = try converted(ColorSetting.init(rawValue:))
    case .sourceip: sourceIp = text == "off" ? nil : text
    case .pager: pager = try converted(onOff)
    case .notify: notify = try converted(onOff)
    case .exectimeout: execTimeout = try converted { Int($0) }
    }
  }

  /// The value of a setting as `show settings` prints it.
  public func value(of name: SettingSpec.Name) -> String {
    switch name {
    case .pagesize: String(pageSize)
    case .concurrency: String(concurrency)
    case .format: format?.rawValue ?? LanguageReference.setting(.format).defaultValue
    case .lang: lang ?? LanguageReference.setting(.lang).defaultValue
    case .timezone: timeZone.rawValue
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
