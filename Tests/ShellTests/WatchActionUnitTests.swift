import Foundation
import Testing
import Vocabulary

@testable import Shell

/// The parts of the actions after a watch that need no process or network.
struct WatchActionUnitTests {
  @Test(arguments: [
    (
      "https://oapi.dingtalk.com/robot/send?access_token=abc123",
      "https://oapi.dingtalk.com/robot/send?access_token=****"
    ),
    ("https://hooks.slack.com/services/T0/B0/XyZ", "https://hooks.slack.com/services/T0/B0/****"),
    ("https://open.feishu.cn/open-apis/bot/v2/hook/1234-abcd", "https://open.feishu.cn/open-apis/bot/v2/hook/****"),
    (
      "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1&debug=1",
      "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****&debug=****"
    ),
    ("https://user:pass@example.com/hook", "https://****@example.com/****"),
    ("https://example.com/", "https://example.com/"),
  ])
  func webhookURLsAreMasked(_ url: String, _ shown: String) {
    #expect(SecretText.url(url) == shown)
  }

  /// In a statement shown back under a caret, the masked part keeps its length.
  @Test func maskingKeepsColumnsWhenAsked() {
    let line = "scans | watch 1m | post 'https://example.com/send?token=SECRET' | notify"
    let masked = SecretText.maskURLs(in: line, keepLength: true)
    #expect(masked == "scans | watch 1m | post 'https://example.com/send?token=******' | notify")
    #expect(masked.count == line.count)
    #expect(SecretText.maskURLs(in: "no url here") == "no url here")
  }

  /// Which escape a terminal gets, and what the data may not smuggle into it.
  @Test func notificationEscapes() {
    let sink = BufferSink()
    let iterm = Notifier(output: sink, isTerminal: true, environment: ["TERM_PROGRAM": "iTerm.app"])
    #expect(iterm.method == .osc9)
    // An escape or a bell in a scan's name is data, not a command to the terminal.
    #expect(
      iterm.escape(title: "scansh", body: "done \u{1B}]0;pwned\u{07} x") == "\u{1B}]9;scansh: done  ]0;pwned  x\u{07}")
    let vte = Notifier(output: sink, isTerminal: true, environment: ["VTE_VERSION": "7200", "TMUX": "/tmp/t,1,0"])
    #expect(vte.method == .osc777)
    #expect(vte.escape(title: "a;b", body: "c") == "\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;a,b;c\u{07}\u{1B}\\")
    let plain = Notifier(output: sink, isTerminal: true, environment: ["TERM": "xterm"])
    #expect(plain.method == .bell)
    #expect(plain.escape(title: "t", body: "b") == "\u{07}")
    let piped = Notifier(output: sink, isTerminal: false, environment: ["TERM_PROGRAM": "iTerm.app"])
    #expect(piped.method == .none)
    piped.notify(title: "t", body: "b")
    #expect(sink.text == "")
  }

  /// The chat services' bodies, as their docs give them.
  @Test func chatBodies() throws {
    let columns = [
      Column(name: "ScanId", kind: .string, roles: [.key]), Column(name: "Name", kind: .string, roles: [.title]),
      Column(name: "Change", kind: .string), Column(name: "Changed", kind: .list),
      Column(name: "Reason", kind: .string),
    ]
    let row = Row(values: [.string("42"), .string("prod \"weekly\""), .string("removed"), nil, .string("gone")])
    let at = Date(timeIntervalSince1970: 0)
    #expect(
      PostAction.body(service: "dingtalk", row: row, columns: columns, at: at)
        == #"{"msgtype":"text","text":{"content":"scansh: removed 42  prod \"weekly\" (gone)"}}"#)
    #expect(
      PostAction.body(service: "feishu", row: row, columns: columns, at: at)
        == #"{"msg_type":"text","content":{"text":"scansh: removed 42  prod \"weekly\" (gone)"}}"#)
    #expect(
      PostAction.body(service: "slack", row: row, columns: columns, at: at)
        == #"{"text":"scansh: removed 42  prod \"weekly\" (gone)"}"#)
    #expect(
      PostAction.body(service: nil, row: row, columns: columns, at: at)
        == #"{"at":"1970-01-01T00:00:00Z","ScanId":"42","Name":"prod \"weekly\"","Change":"removed","Reason":"gone"}"#)
    #expect(
      PostAction.refusal(in: Data(#"{"errcode":310000,"errmsg":"keywords not in content"}"#.utf8))
        == "refused: errcode 310000 (keywords not in content)")
    #expect(PostAction.refusal(in: Data(#"{"code":0,"msg":"success"}"#.utf8)) == nil)
  }
}
