/// What Tab does: replace the word before the cursor, and list the candidates when several remain.
public struct Completion: Sendable, Equatable {
  /// Characters before the cursor that the insertion replaces (the partial word).
  public var replacing: Int
  /// The text to put in their place; nil when there is nothing to add.
  public var insertion: String?
  /// Every candidate that matches, for listing when there is more than one.
  public var candidates: [String]

  public init(replacing: Int, insertion: String?, candidates: [String]) {
    self.replacing = replacing
    self.insertion = insertion
    self.candidates = candidates
  }

  public static let none = Completion(replacing: 0, insertion: nil, candidates: [])
}
