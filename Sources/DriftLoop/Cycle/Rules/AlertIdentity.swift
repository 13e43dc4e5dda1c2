/// Which Alertmanager notifications are the same alert.
///
/// Alertmanager re-sends a firing alert every `group_interval`, and sends it again when it resolves. Its identity is
/// its fingerprint and when it started: re-sends of one firing are duplicates of one trigger, a resolution finds the
/// cycle its firing started or joined, and the same alert firing again later (a new start) is a new trigger.
package enum AlertIdentity {
    /// The dedup key of a firing alert's trigger.
    package static func firingKey(fingerprint: String, startsAt: String) -> String {
        "alertmanager:\(fingerprint):\(startsAt)"
    }
}
