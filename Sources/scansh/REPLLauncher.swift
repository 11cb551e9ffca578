import Shell

enum REPLLauncher {
  static func run(session: Session, connection: Connection) -> Shell.ExitCode {
    FileDescriptorSink.standardError.write(
      "scansh: the interactive shell arrives with the REPL issue; use -c or a script\n")
    return .usage
  }
}
