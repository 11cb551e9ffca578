import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the peer's address, so `/_sim/` can answer loopback only.
struct SimulatorRequestContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let remoteAddress: SocketAddress?

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }

  var isLoopback: Bool {
    switch remoteAddress {
    case .v4(let address): address.address.sin_addr.s_addr.bigEndian >> 24 == 127
    case .v6: remoteAddress?.ipAddress == "::1"
    default: false
    }
  }
}
