/// Drift indices and warning runs of a detector over a whole stream, in River's convention: 0-based index of
/// the value whose update left the flag set; warnings as inclusive [start, end] runs.
package struct DetectorRun: Sendable, Codable, Equatable {
    package var drift: [Int]
    package var warning: [[Int]]

    package init<Detector: StreamDriftDetector>(detector: inout Detector, stream: [Double]) {
        var drift: [Int] = []
        var warning: [[Int]] = []
        var warningStart: Int?
        for (index, value) in stream.enumerated() {
            detector.update(value)
            if detector.driftDetected { drift.append(index) }
            if detector.warningDetected {
                if warningStart == nil { warningStart = index }
            } else if let start = warningStart {
                warning.append([start, index - 1])
                warningStart = nil
            }
        }
        if let start = warningStart { warning.append([start, stream.count - 1]) }
        self.drift = drift
        self.warning = warning
    }
}
