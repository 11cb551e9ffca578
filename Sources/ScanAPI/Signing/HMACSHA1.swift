/// HMAC-SHA1 (RFC 2104 over FIPS 180-4's SHA-1), the one primitive signature v1 needs. It is
/// here rather than from swift-crypto because on Linux swift-crypto carries a BoringSSL of its own,
/// and the HTTP client's TLS already brings one: a second copy doubled the C a first build
/// compiles. SHA-1 is used only as HMAC's hash, where its collisions do not matter (RFC 6151); the
/// tests check this against RFC 2202's vectors and against swift-crypto on random inputs.
public enum HMACSHA1 {
  static let blockSize = 64

  public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
    var block = key.count > blockSize ? SHA1.hash(key) : key
    block += [UInt8](repeating: 0, count: blockSize - block.count)
    let inner = SHA1.hash(block.map { $0 ^ 0x36 } + message)
    return SHA1.hash(block.map { $0 ^ 0x5C } + inner)
  }
}

/// SHA-1, for HMAC only.
enum SHA1 {
  static func hash(_ message: [UInt8]) -> [UInt8] {
    var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
    var padded = message
    padded.append(0x80)
    while padded.count % 64 != 56 { padded.append(0) }
    let bits = UInt64(message.count) &* 8
    for shift in stride(from: 56, through: 0, by: -8) {
      padded.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
    }
    var w = [UInt32](repeating: 0, count: 80)
    for chunk in stride(from: 0, to: padded.count, by: 64) {
      for index in 0..<16 {
        let base = chunk + index * 4
        w[index] =
          UInt32(padded[base]) << 24 | UInt32(padded[base + 1]) << 16 | UInt32(padded[base + 2]) << 8
          | UInt32(padded[base + 3])
      }
      for index in 16..<80 { w[index] = rotate(w[index - 3] ^ w[index - 8] ^ w[index - 14] ^ w[index - 16], 1) }
      var (a, b, c, d, e) = h
      for index in 0..<80 {
        let (f, k): (UInt32, UInt32)
        switch index {
        case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
        case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
        case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
        default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
        }
        let next = rotate(a, 5) &+ f &+ e &+ k &+ w[index]
        (e, d, c, b, a) = (d, c, rotate(b, 30), a, next)
      }
      h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
    }
    var digest: [UInt8] = []
    digest.reserveCapacity(20)
    for word in [h.0, h.1, h.2, h.3, h.4] {
      for shift in stride(from: 24, through: 0, by: -8) {
        digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
      }
    }
    return digest
  }

  private static func rotate(_ value: UInt32, _ count: UInt32) -> UInt32 { value << count | value >> (32 - count) }
}
