/// What the parser would accept at a point: recorded where the input ends, so that completion at
/// the cursor is a question put to the parser rather than a second copy of the grammar.
public enum Expectation: Sendable, Hashable {
  /// A source or a command: a statement starts here.
  case statement
  /// A source: `explain` takes a pipeline.
  case source
  /// A stage name, after `|`.
  case stage
  /// `|`: what came before is complete, and a stage may follow.
  case pipe
  case keyword(Keyword)
  /// A field name.
  case field
  /// `*` after `select`.
  case allFields
  /// An aggregate function after `group … with`.
  case aggregate
  /// A calendar unit after `group … by` (an interval such as `1d` works too).
  case calendarUnit
  /// A comparison operator (`in` and `not in` are keywords).
  case comparisonOperator
  /// A value compared with this field, as written.
  case value(field: String)
  /// The text of `scans search …`.
  case searchText
  case format
  case setting
  /// A value for `set NAME`.
  case settingValue(String)
  case showTopic
  case helpTopic
  /// An account (profile) name, or `all`, after `use`.
  case account
}
