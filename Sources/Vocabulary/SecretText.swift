#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Webhook URLs carry their secret in them (DingTalk's `access_token=…`, Slack's and Feishu's last
/// path segment): where a statement is shown back (errors, check names, history), its URLs are
/// masked — every query value, else the last path segment, and any user info.
public enum SecretText {
  /// The URL as messages show it: `https://oapi.dingtalk.com/robot/send?access_token=****`.
  public static func url(_ text: String) -> String { mask(text, keepLength: false) }

  /// Every `http://` and `https://` URL in `text` masked. With `keepLength`, each masked part keeps
  /// its length (as `*`s), so a caret drawn under the line still points at the same column.
  public static func maskURLs(in text: String, keepLength: Bool = false) -> String {
    var output = ""
    var rest = Substring(text)
    while let from = nextURL(in: rest) {
      output += rest[..<from]
      let end =
        rest[from...].firstIndex { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\n" || $0 == "\t" }
        ?? rest.endIndex
      output += mask(String(rest[from..<end]), keepLength: keepLength)
      rest = rest[end...]
    }
    return output + rest
  }

  /// Where the next `http://` or `https://`, in any case, starts.
  private static func nextURL(in text: Substring) -> Substring.Index? {
    var index = text.startIndex
    while index < text.endIndex {
      if text[index] == "h" || text[index] == "H" {
        let head = text[index...].prefix(8).lowercased()
        if head.hasPrefix("http://") || head.hasPrefix("https://") { return index }
      }
      index = text.index(after: index)
    }
    return nil
  }

  private static func mask(_ url: String, keepLength: Bool) -> String {
    func hidden(_ part: Substring) -> String { keepLength ? String(repeating: "*", count: part.count) : "****" }
    guard let schemeEnd = url.firstRange(of: "://") else { return url }
    let scheme = url[..<schemeEnd.upperBound]
    var rest = url[schemeEnd.upperBound...]
    let query = rest.firstIndex(of: "?").map { rest[$0...] }
    if let query { rest = rest[..<query.startIndex] }
    let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    var authority = String(rest[..<authorityEnd])
    var path = String(rest[authorityEnd...])
    if let at = authority.lastIndex(of: "@") {
      authority = hidden(authority[..<at]) + authority[at...]
    }
    if let query {
      let pairs = query.dropFirst().split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
        guard let equals = pair.firstIndex(of: "=") else { return hidden(pair) }
        return pair[...equals] + hidden(pair[pair.index(after: equals)...])
      }
      return scheme + authority + path + "?" + pairs.joined(separator: "&")
    }
    if let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex {
      path = path[...slash] + hidden(path[path.index(after: slash)...])
    }
    return scheme + authority + path
  }
}
