import CEditLine

/// The size of the terminal on stdout, from the one place that asks the kernel (the C shim, which
/// libedit's completion listing uses too); nil when stdout is not a terminal.
public enum TerminalSize {
  public static func columns() -> Int? {
    let columns = scansh_terminal_columns(1)
    return columns > 0 ? Int(columns) : nil
  }

  public static func rows() -> Int? {
    let rows = scansh_terminal_rows(1)
    return rows > 0 ? Int(rows) : nil
  }
}
