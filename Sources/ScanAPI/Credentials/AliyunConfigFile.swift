/// The parts of aliyun-cli's `~/.aliyun/config.json` that scansh reads.
struct AliyunConfigFile: Decodable {
  struct Profile: Decodable {
    var name: String
    var mode: String?
    var accessKeyId: String?
    var accessKeySecret: String?
    var stsToken: String?
    var regionId: String?
    var endpoint: String?

    enum CodingKeys: String, CodingKey {
      case name, mode, endpoint
      case accessKeyId = "access_key_id"
      case accessKeySecret = "access_key_secret"
      case stsToken = "sts_token"
      case regionId = "region_id"
    }
  }

  var current: String?
  var profiles: [Profile]

  enum CodingKeys: String, CodingKey { case current, profiles }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    current = try container.decodeIfPresent(String.self, forKey: .current)
    profiles = try container.decodeIfPresent([Profile].self, forKey: .profiles) ?? []
  }
}
