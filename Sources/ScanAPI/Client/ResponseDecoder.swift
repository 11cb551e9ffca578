import Vocabulary

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Turns DescribeScans bodies into pages, accepting both envelope shapes (the reference's wrapped
/// `requestId`/`data`/`code`/`success` and the SDK's flat PascalCase) in JSON and XML, and rejecting
/// with a precise message what no DescribeScans answer looks like.
public enum ResponseDecoder {
  public static func page(
    from body: Data, format: ResponseFormat, resource: Resource = .scans, wanted: FieldSet = .all
  ) throws -> ScanPage {
    try page(from: body, format: format, resource: resource, wanted: wanted, listKey: "list")
  }

  /// A page whose rows are under `listKey` (lower-cased): `list`, or DescribeVulnerability's
  /// `vulnerability`.
  private static func page(
    from body: Data, format: ResponseFormat, resource: Resource, wanted: FieldSet, listKey: String
  ) throws -> ScanPage {
    try body.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      switch format {
      case .json: return try jsonPage(bytes, resource: resource, wanted: wanted, listKey: listKey)
      case .xml: return try xmlPage(bytes, resource: resource, listKey: listKey)
      }
    }
  }

  /// Reads a DescribeVulnerability answer as a finding row: the reference's `Vulnerability` object,
  /// or the SDK model's flat fields.
  public static func finding(from body: Data, format: ResponseFormat) throws -> Scan {
    let page: ScanPage
    do {
      page = try self.page(from: body, format: format, resource: .findings, wanted: .all, listKey: "vulnerability")
    } catch ScanAPIError.malformedResponse(_) where format == .json {
      // The SDK's model has the finding's fields at the top level, beside RequestId.
      let flat = body.withUnsafeBytes { raw in
        var reader = JSONReader(raw.bindMemory(to: UInt8.self))
        return try? Scan.decode(from: &reader, resource: .findings)
      }
      if let flat, flat.key(in: .findings) != nil { return flat }
      throw ScanAPIError.malformedResponse("the response has no 'Vulnerability'")
    }
    if let finding = page.scans.first { return finding }
    throw ScanAPIError.malformedResponse("the response has no 'Vulnerability'")
  }

  /// Reads an API error body; nil when the body is not one.
  public static func apiError(from body: Data, httpStatus: Int) -> APIError? {
    var fields = EnvelopeFields()
    let parsed: Bool = body.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      if sniff(bytes) == UInt8(ascii: "<") {
        guard let root = try? XMLTreeParser.parse(bytes) else { return false }
        return (try? collect(root, into: &fields, Context(resource: .scans, wanted: .all))) != nil
      }
      var reader = JSONReader(bytes)
      return (try? object(&reader, into: &fields, Context(resource: .scans, wanted: FieldSet(mask: 0)))) != nil
    }
    guard parsed, let code = fields.code, code != "200" else { return nil }
    return APIError(
      httpStatus: httpStatus, code: code, message: fields.message ?? "", requestId: fields.requestId,
      hostId: fields.hostId, recommend: fields.recommend)
  }

  // MARK: JSON

  /// What a body is read for: the resource of its rows, the fields wanted, and the key that holds
  /// them (`List`, or DescribeVulnerability's `Vulnerability`).
  private struct Context {
    var resource: Resource
    var wanted: FieldSet
    var listKey = "list"
  }

  private static func jsonPage(
    _ bytes: UnsafeBufferPointer<UInt8>, resource: Resource, wanted: FieldSet, listKey: String = "list"
  ) throws -> ScanPage {
    let first = sniff(bytes)
    guard first == UInt8(ascii: "{") else {
      if first == UInt8(ascii: "<") {
        throw ScanAPIError.malformedResponse("expected JSON, but the body is XML or HTML: \(excerpt(bytes))")
      }
      if first == nil { throw ScanAPIError.malformedResponse("the body is empty") }
      throw ScanAPIError.malformedResponse("expected a JSON object, but the body starts \(excerpt(bytes))")
    }
    var fields = EnvelopeFields()
    var reader = JSONReader(bytes)
    do {
      try object(&reader, into: &fields, Context(resource: resource, wanted: wanted, listKey: listKey))
      guard reader.isAtEnd else { throw reader.error("unexpected content after the JSON object") }
    } catch let error as JSONSyntaxError {
      throw ScanAPIError.malformedResponse("invalid JSON: \(error)")
    }
    return try fields.page(resource)
  }

  private static func object(_ reader: inout JSONReader, into fields: inout EnvelopeFields, _ context: Context) throws {
    try reader.beginObject()
    var first = true
    while try reader.nextMember(first: &first) {
      let key = try reader.readKey()
      switch key.lowercased() {
      case "data":
        if try reader.peekKind() == .object {
          try object(&reader, into: &fields, context)
        } else {
          try reader.skipValue()
        }
      case context.listKey where context.listKey == "list":
        fields.appendList(try list(&reader, context))
      case context.listKey:
        if try reader.peekKind() == .object {
          fields.appendList([try Scan.decode(from: &reader, resource: context.resource, wanted: context.wanted)])
        } else {
          try reader.skipValue()
        }
      case "requestid": fields.requestId = try text(&reader)
      case "hostid": fields.hostId = try text(&reader)
      case "code": fields.code = try text(&reader)
      case "message": fields.message = try text(&reader)
      case "recommend": fields.recommend = try text(&reader)
      case "success":
        fields.success = try reader.peekKind() == .bool ? try reader.readBool() : (try text(&reader) == "true")
      case let name where EnvelopeFields.pagingKeys.contains(name):
        let raw: String
        switch try reader.peekKind() {
        case .number: raw = String(try reader.readNumberText())
        case .string: raw = try reader.readString()
        default: raw = try reader.readRawValue()
        }
        try fields.setPaging(key, raw: raw)
      default:
        try reader.skipValue()
      }
    }
  }

  private static func list(_ reader: inout JSONReader, _ context: Context) throws -> [Scan] {
    switch try reader.peekKind() {
    case .null:
      try reader.readNull()
      return []
    case .array: break
    case let kind:
      throw ScanAPIError.malformedResponse("'List' is a JSON \(kind), expected a list of \(context.resource)")
    }
    var scans: [Scan] = []
    try reader.beginArray()
    var first = true
    while try reader.nextElement(first: &first) {
      let kind = try reader.peekKind()
      guard kind == .object else {
        throw ScanAPIError.malformedResponse(
          "item \(scans.count + 1) of 'List' is a JSON \(kind), expected a \(context.resource.noun) object")
      }
      scans.append(try Scan.decode(from: &reader, resource: context.resource, wanted: context.wanted))
    }
    return scans
  }

  /// A scalar as text: strings as they are, numbers as their digits, null as nil.
  private static func text(_ reader: inout JSONReader) throws -> String? {
    switch try reader.peekKind() {
    case .string: return try reader.readString()
    case .number: return String(try reader.readNumberText())
    case .null:
      try reader.readNull()
      return nil
    default: return try reader.readRawValue()
    }
  }

  // MARK: XML

  private static func xmlPage(
    _ bytes: UnsafeBufferPointer<UInt8>, resource: Resource, listKey: String = "list"
  ) throws -> ScanPage {
    let first = sniff(bytes)
    guard first == UInt8(ascii: "<") else {
      if first == nil { throw ScanAPIError.malformedResponse("the body is empty") }
      throw ScanAPIError.malformedResponse("expected XML, but the body starts \(excerpt(bytes))")
    }
    let root: XMLElement
    do {
      root = try XMLTreeParser.parse(bytes)
    } catch let error as JSONSyntaxError {
      throw ScanAPIError.malformedResponse("invalid XML: \(error)")
    }
    if root.name.lowercased() == "html" {
      throw ScanAPIError.malformedResponse("expected XML, but the body is an HTML page: \(excerpt(bytes))")
    }
    var fields = EnvelopeFields()
    try collect(root, into: &fields, Context(resource: resource, wanted: .all, listKey: listKey))
    return try fields.page(resource)
  }

  private static func collect(_ element: XMLElement, into fields: inout EnvelopeFields, _ context: Context) throws {
    var scans: [Scan] = []
    var sawList = false
    for child in element.children {
      switch child.name.lowercased() {
      case "data": try collect(child, into: &fields, context)
      case context.listKey:
        sawList = true
        scans.append(contentsOf: xmlScans(in: child, context.resource))
      case "requestid": fields.requestId = child.text
      case "hostid": fields.hostId = child.text
      case "code": fields.code = child.text
      case "message": fields.message = child.text
      case "recommend": fields.recommend = child.text
      case "success": fields.success = child.text == "true"
      case let name where EnvelopeFields.pagingKeys.contains(name):
        try fields.setPaging(child.name, raw: child.text)
      default: break
      }
    }
    if sawList { fields.appendList(scans) }
  }

  /// A `<List>` is one scan (`<List><ScanId>…`), or wraps several (`<List><Scan><ScanId>…`).
  private static func xmlScans(in list: XMLElement, _ resource: Resource) -> [Scan] {
    if list.children.isEmpty { return [] }
    let wrapsScans = list.children.allSatisfy { item in
      resource.index(of: item.name) == nil && !item.children.isEmpty
    }
    return wrapsScans ? list.children.map { xmlScan($0, resource) } : [xmlScan(list, resource)]
  }

  private static func xmlScan(_ element: XMLElement, _ resource: Resource) -> Scan {
    var scan = Scan(resource: resource)
    for child in element.children {
      guard let field = resource.index(of: child.name) else { continue }
      let texts = child.children.isEmpty ? [child.text] : child.children.map(\.text)
      switch resource.columns[field].kind {
      case .list:
        if case .list(let existing) = scan.values[field] {
          scan.values[field] = .list(existing + texts)
        } else {
          scan.values[field] = .list(texts)
        }
      case .number, .time, .coded:
        scan.values[field] = Double(child.text).map(FieldValue.number) ?? .string(child.text)
      case .string, .enumeration:
        scan.values[field] = .string(child.text)
      }
    }
    return scan
  }

  // MARK: Helpers

  private static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    return index < bytes.count ? bytes[index] : nil
  }

  /// The start of a body, for messages: printable, one line, cut at 60 characters.
  static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 240)]), as: UTF8.self)
    var text = ""
    for character in head where text.count < 60 {
      text.append(character.isNewline || character == "\t" ? " " : character)
    }
    text = text.replacingScalars("\u{FFFD}", with: "?")
    return "'" + text + (bytes.count > 60 ? "…" : "") + "'"
  }
}
