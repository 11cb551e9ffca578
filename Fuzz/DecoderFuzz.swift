import Foundation

// libFuzzer entry for the response decoder, JSON and XML (built by scripts/fuzz, not SwiftPM).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let body = Data(bytes: data, count: size)
  _ = try? ResponseDecoder.page(from: body, format: .json)
  _ = try? ResponseDecoder.page(from: body, format: .xml)
  _ = try? ResponseDecoder.page(from: body, format: .json, wanted: FieldSet([.status, .runPercent]))
  _ = ResponseDecoder.apiError(from: body, httpStatus: 400)
  return 0
}
