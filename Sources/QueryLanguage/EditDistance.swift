extension String {
  /// Levenshtein distance, ignoring case: how many edits turn one word into the other.
  public func editDistance(to other: String) -> Int {
    let a = Array(lowercased())
    let b = Array(other.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}

/// "did you mean …?" over a list of candidates.
public enum Suggestion {
  /// The closest candidate within a distance that fits the word's length, if any.
  public static func closest(to word: String, in candidates: [String]) -> String? {
    let limit = word.count <= 3 ? 1 : (word.count <= 6 ? 2 : 3)
    var best: (String, Int)?
    for candidate in candidates {
      let distance = word.editDistance(to: candidate)
      if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
      // A prefix is a good guess too: `runn` → `running`.
      if best == nil, word.count >= 3, candidate.lowercased().hasPrefix(word.lowercased()) { best = (candidate, limit) }
    }
    return best?.0
  }

  public static func didYouMean(_ word: String, in candidates: [String]) -> String? {
    closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
  }
}
