/// An element of a parsed XML document: its name, child elements and direct text.
struct XMLElement: Sendable, Equatable {
  var name: String
  var children: [XMLElement] = []
  var text = ""

  func child(named name: String) -> XMLElement? {
    children.first { $0.name.equalsIgnoringCase(name) }
  }
}
