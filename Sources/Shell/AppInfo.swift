/// What scansh says of itself: `--version`, the banner, the User-Agent of its requests.
public enum AppInfo {
  public static let version = "0.1.0"
  public static var userAgent: String { "scansh/\(version)" }
}
