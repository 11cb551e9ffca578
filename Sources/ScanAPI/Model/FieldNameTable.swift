/// A resource's wire names, looked up from a key's bytes without building a String: names are
/// compared as three 64-bit words (all wire names are at most 24 bytes), a few candidates of the
/// key's length each; other spellings go the slow, case-insensitive way.
struct FieldNameTable: Sendable {
  /// Up to 24 bytes of a name as three words, zero-padded.
  private struct Packed: Equatable, Sendable {
    var words: (UInt64, UInt64, UInt64) = (0, 0, 0)

    init(_ base: UnsafePointer<UInt8>, count: Int) {
      for index in 0..<min(count, 24) {
        let byte = UInt64(base[index]) << (8 * UInt64(index % 8))
        switch index / 8 {
        case 0: words.0 |= byte
        case 1: words.1 |= byte
        default: words.2 |= byte
        }
      }
    }

    static func == (left: Packed, right: Packed) -> Bool {
      left.words.0 == right.words.0 && left.words.1 == right.words.1 && left.words.2 == right.words.2
    }
  }

  /// Wire names by their length in bytes.
  private let byLength: [[(name: Packed, index: Int)]]
  private let byName: [String: Int]
  private let byLowercasedName: [String: Int]

  init(_ names: [String]) {
    var table = Array(repeating: [(name: Packed, index: Int)](), count: 25)
    for (index, name) in names.enumerated() {
      let bytes = Array(name.utf8)
      precondition(bytes.count <= 24, "wire name \(name) is longer than 24 bytes")
      let packed = bytes.withUnsafeBufferPointer { Packed($0.baseAddress!, count: $0.count) }
      table[bytes.count].append((packed, index))
    }
    byLength = table
    byName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    byLowercasedName = Dictionary(
      names.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The index of the name spelled exactly so, then ignoring case.
  func index(of name: String) -> Int? {
    byName[name] ?? byLowercasedName[name.lowercased()]
  }

  func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    if bytes.count < byLength.count, let base = bytes.baseAddress {
      let key = Packed(base, count: bytes.count)
      for candidate in byLength[bytes.count] where candidate.name == key { return candidate.index }
    }
    return index(of: String(decoding: bytes, as: UTF8.self))
  }
}
