import Shell
import Simulator

/// Demo mode's simulator, started in-process on a free loopback port.
enum DemoSimulator {
  static let start: DemoStarter = { settings in
    var configuration = SimulatorConfiguration()
    configuration.port = 0
    configuration.seed = settings.seed
    configuration.scanCount = settings.scans
    configuration.clockSpeed = settings.speed
    configuration.epoch = settings.epoch
    // Held until the first pipeline has read its rows (DemoClock).
    configuration.clockHeld = true
    configuration.accounts = DemoSettings.accountNames.count
    let simulator = try await SimulatorServer(configuration: configuration).start()
    return DemoServer(
      endpoint: simulator.endpoint, startClock: { await simulator.core.startClock() },
      stop: { await simulator.stop() })
  }
}
