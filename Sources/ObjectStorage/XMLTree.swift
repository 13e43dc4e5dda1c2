import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document as a plain tree: S3's answers are small and flat, so a tree is simpler to query
/// than event callbacks, and keeps XMLParser (a non-Sendable class) inside one function.
struct XMLTree: Sendable {
    let name: String
    let text: String
    let children: [XMLTree]

    /// The first child named `name` (namespaces ignored: S3 puts every element in its one namespace).
    func child(_ name: String) -> XMLTree? { self.children.first { $0.name == name } }

    /// All children named `name`, in document order.
    func children(_ name: String) -> [XMLTree] { self.children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func text(_ name: String) -> String? { self.child(name)?.text }

    /// Parses `data`; `nil` when it is not well-formed XML.
    static func parse(_ data: Data) -> XMLTree? {
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        private var stack: [(name: String, text: String, children: [XMLTree])] = []
        var root: XMLTree?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            self.stack.append((elementName, "", []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !self.stack.isEmpty else { return }
            self.stack[self.stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = self.stack.popLast() else { return }
            let node = XMLTree(name: element.name, text: element.text, children: element.children)
            if self.stack.isEmpty {
                self.root = node
            } else {
                self.stack[self.stack.count - 1].children.append(node)
            }
        }
    }
}
