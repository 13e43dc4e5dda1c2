/// Runs `operation` on every element with at most `limit` running at once, returning results in input order.
/// The first error cancels the operations still running and is rethrown.
func mapConcurrently<Element: Sendable, Result: Sendable>(
    _ elements: [Element], limit: Int, _ operation: @escaping @Sendable (Element) async throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: elements.count)
        var next = 0
        func startNext() {
            guard next < elements.count else { return }
            let index = next
            let element = elements[index]
            group.addTask { (index, try await operation(element)) }
            next += 1
        }
        for _ in 0..<min(max(1, limit), elements.count) { startNext() }
        while let (index, result) = try await group.next() {
            results[index] = result
            startNext()
        }
        return results.map { $0! }
    }
}
