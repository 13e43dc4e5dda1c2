import Foundation

/// A per-token request rate limit (`rate_limit:` in config.yaml): each API token may make `perSecond` requests a
/// second on average, in bursts of up to `burst`. Unset: no limit.
package struct RateLimitSettings: Sendable, Equatable, CustomStringConvertible {
    package var perSecond: Double
    package var burst: Int

    package init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }

    package var description: String { "\(self.perSecond.formatted(maxFractionDigits: 3))/s, bursts of \(self.burst)" }
}

enum RateLimitSettingsReader {
    static func read(_ node: YAMLNode, reader: inout YAMLReader) -> RateLimitSettings? {
        guard !node.isMissing else { return nil }
        guard reader.requireMapping(node, example: "rate_limit: {per_second: 20, burst: 40}") else { return nil }
        reader.rejectUnknownKeys(node, allowed: ["per_second", "burst"])
        let rateNode = node.child("per_second")
        if rateNode.isMissing {
            reader.fail(node, "`rate_limit.per_second` is required, for example `rate_limit: {per_second: 20, burst: 40}`")
            return nil
        }
        let rate = reader.double(rateNode, default: 0, range: 0.001...1_000_000)
        guard rate > 0 else { return nil }
        let burst = reader.int(node.child("burst"), default: max(1, Int(rate.rounded(.up)) * 2), range: 1...10_000_000)
        return RateLimitSettings(perSecond: rate, burst: burst)
    }
}

extension Double {
    /// Up to `maxFractionDigits` decimals, without trailing zeros: 20, 0.5, 2.125.
    func formatted(maxFractionDigits: Int) -> String {
        var text = String(format: "%.\(maxFractionDigits)f", self)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
