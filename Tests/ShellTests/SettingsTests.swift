import QueryLanguage
import Shell
import Testing

/// `set NAME VALUE`: every word the language reference offers is one the settings take, and
/// `show settings` prints it back.
struct SettingsTests {
  static func value(_ text: String) -> Value { Value(.word(text), text: text, span: Span(4, 4 + text.count)) }

  @Test(arguments: LanguageReference.settings)
  func everyOfferedValueIsTakenAndShownBack(_ spec: SettingSpec) throws {
    for word in spec.suggestions + Self.choices(spec) {
      var settings = Settings()
      try settings.apply(name: Located(spec.name.rawValue, Span(0, 3)), value: Self.value(word))
      let shown = settings.value(of: spec.name)
      #expect(
        shown == word || (spec.name == .sourceip && word == "off"), "\(spec.name.rawValue) \(word) shows \(shown)")
    }
  }

  @Test func aValueOutsideTheDomainIsRejectedWithItsPlace() {
    var settings = Settings()
    #expect(throws: Diagnostic("color is auto, on or off", at: Span(4, 9))) {
      try settings.apply(name: Located("color", Span(0, 3)), value: Self.value("bluey"))
    }
    #expect(settings == Settings())
  }

  static func choices(_ spec: SettingSpec) -> [String] {
    if case .choice(let words) = spec.domain { return words }
    return []
  }
}
