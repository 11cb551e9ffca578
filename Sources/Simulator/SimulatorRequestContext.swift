import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the peer's address, so `/_sim/` can answer loopback only.
struct SimulatorRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let remoteAddress: SocketAddress?

  init(source: ApplicationRequestContextSource) {
    self.init(source: source, remoteAddress: source.channel.remoteAddress)
  }

  /// A context from any source: the router's in-memory tests give the peer's address themselves.
  init(source: some RequestContextSource, remoteAddress: SocketAddress?) {
    coreContext = .init(source: source)
    self.remoteAddress = remoteAddress
  }

  var isLoopback: Bool { Self.isLoopback(remoteAddress) }

  /// 127.0.0.0/8 and ::1 (also as ::ffff:127.x.x.x); a Unix socket or no address is not.
  static func isLoopback(_ address: SocketAddress?) -> Bool {
    switch address {
    case .v4(let v4)?: return v4.address.sin_addr.s_addr.bigEndian >> 24 == 127
    case .v6?:
      let text = address?.ipAddress ?? ""
      return text == "::1" || text.hasPrefix("::ffff:127.")
    default: return false
    }
  }
}
