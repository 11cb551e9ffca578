import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority the tests make, and server certificates it signs: the simulator serves
/// https with them, and scansh trusts the CA through `SSL_CERT_FILE`. Written to a temporary folder
/// as PEM files, removed with the value.
public final class TestPKI: @unchecked Sendable {
  public let folder: URL
  /// The CA's certificate, as a bundle scansh may trust.
  public let caFile: String
  private let caKey: P256.Signing.PrivateKey
  private let caName: DistinguishedName

  public init(name: String = "scansh test CA") throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("scansh-pki-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    caKey = P256.Signing.PrivateKey()
    caName = try DistinguishedName { CommonName(name) }
    let now = Date()
    let ca = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
      notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 30),
      issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
      }, issuerPrivateKey: .init(caKey))
    caFile = folder.appendingPathComponent("ca.pem").path
    try ca.serializeAsPEM().pemString.write(toFile: caFile, atomically: true, encoding: .utf8)
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  public struct ServerFiles: Sendable {
    public var certificate: String
    public var key: String
  }

  /// A server certificate for 127.0.0.1 and localhost (or `names`), valid now unless `expired`.
  public func server(names: [String] = ["localhost"], ip: Bool = true, expired: Bool = false, label: String = "server")
    throws -> ServerFiles
  {
    let key = P256.Signing.PrivateKey()
    let now = Date()
    var general = names.map { GeneralName.dnsName($0) }
    if ip { general.append(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))) }
    let certificate = try Certificate(
      version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
      notValidBefore: expired ? now.addingTimeInterval(-86_400 * 10) : now.addingTimeInterval(-3600),
      notValidAfter: expired ? now.addingTimeInterval(-86_400) : now.addingTimeInterval(86_400 * 30),
      issuer: caName, subject: try DistinguishedName { CommonName(names.first ?? "127.0.0.1") },
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.serverAuth])
        SubjectAlternativeNames(general)
      }, issuerPrivateKey: .init(caKey))
    let files = ServerFiles(
      certificate: folder.appendingPathComponent("\(label).pem").path,
      key: folder.appendingPathComponent("\(label)-key.pem").path)
    try certificate.serializeAsPEM().pemString.write(toFile: files.certificate, atomically: true, encoding: .utf8)
    try key.pemRepresentation.write(toFile: files.key, atomically: true, encoding: .utf8)
    return files
  }
}
