import Vocabulary

extension Scan {
  /// Decodes one scan object, tolerant as the real API needs: numbers may come as strings or
  /// strings as numbers (a numeric ScanId keeps its exact digits), any field may be absent or null,
  /// and unknown keys are skipped. Fields not in `wanted` are skipped without being decoded.
  static func decode(from reader: inout JSONReader, resource: Resource = .scans, wanted: FieldSet = .all) throws
    -> Scan
  {
    var scan = Scan(resource: resource)
    try reader.beginObject()
    var first = true
    while try reader.nextMember(first: &first) {
      guard let field = try reader.readFieldKey(in: resource), wanted.contains(index: field) else {
        try reader.skipValue()
        continue
      }
      scan.values[field] = try decodeValue(of: resource.columns[field].kind, from: &reader)
    }
    return scan
  }

  private static func decodeValue(of kind: FieldKind, from reader: inout JSONReader) throws -> FieldValue? {
    switch try reader.peekKind() {
    case .null:
      try reader.readNull()
      return nil
    case .string:
      let text = try reader.readString()
      switch kind {
      case .number, .time, .coded:
        if let number = Double(text.trimmingSpaces) { return .number(number) }
        return .string(text)
      case .list: return .list([text])
      case .string, .enumeration: return .string(text)
      }
    case .number:
      switch kind {
      case .number, .time, .coded: return .number(try reader.readNumber())
      case .list: return .list([String(try reader.readNumberText())])
      case .string, .enumeration: return .string(String(try reader.readNumberText()))
      }
    case .bool:
      let text = try reader.readBool() ? "true" : "false"
      return kind == .list ? .list([text]) : .string(text)
    case .array where kind == .list:
      var items: [String] = []
      try reader.beginArray()
      var first = true
      while try reader.nextElement(first: &first) {
        switch try reader.peekKind() {
        case .string: items.append(try reader.readString())
        case .number: items.append(String(try reader.readNumberText()))
        case .null: try reader.readNull()
        default: items.append(try reader.readRawValue())
        }
      }
      return .list(items)
    case .array, .object:
      return .string(try reader.readRawValue())
    }
  }

  /// Writes the scan as a JSON object with the API's field names, leaving absent fields out.
  public func writeJSON(to writer: inout JSONWriter, resource: Resource = .scans) {
    writer.object(row, columns: resource.columns)
  }
}

extension String {
  var trimmingSpaces: Substring {
    let trimmed = drop(while: { $0 == " " })
    return trimmed[..<(trimmed.lastIndex(where: { $0 != " " }).map { trimmed.index(after: $0) } ?? trimmed.endIndex)]
  }
}
