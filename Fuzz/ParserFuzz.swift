// libFuzzer entry for the lexer, parser and diagnostic renderer (built by scripts/fuzz, not SwiftPM).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let source = SourceText(text, name: "fuzz")
  let (_, diagnostics) = Parser.parse(source)
  if let diagnostics { _ = DiagnosticRenderer.render(diagnostics) }
  return 0
}
