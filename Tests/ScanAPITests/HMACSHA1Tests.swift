import Crypto
import Foundation
import Testing

@testable import ScanAPI

/// The signer's HMAC-SHA1 against RFC 2202's test cases, and against swift-crypto's on random keys
/// and messages of every length around SHA-1's block boundaries.
struct HMACSHA1Tests {
  static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  @Test(arguments: [
    ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8), "b617318655057264e28bc0b6fb378c8ef146be00"),
    (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
    (
      [UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
      "125d7342b9ac11cd91a39af48aa17b4f63f175d3"
    ),
    (
      [UInt8](repeating: 0xAA, count: 80), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
      "aa4ae5e15272d00e95705637ce8a3b55ed402112"
    ),
    (
      [UInt8](repeating: 0xAA, count: 80),
      Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
      "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"
    ),
  ])
  func rfc2202(_ key: [UInt8], _ message: [UInt8], _ expected: String) {
    #expect(Self.hex(HMACSHA1.authenticationCode(for: message, key: key)) == expected)
  }

  @Test func agreesWithSwiftCrypto() {
    var generator = SystemRandomNumberGenerator()
    for length in Array(0...130) + [1000, 4096, 65_537] {
      let key = (0..<Int.random(in: 0...100, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
      }
      let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let theirs = HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key))
      #expect(HMACSHA1.authenticationCode(for: message, key: key) == Array(theirs), "length \(length)")
    }
  }
}
