import DriftStats
import Foundation

// Reading the predictions file is I/O, so it lives here; DriftStats computes from the parsed values.
extension ModelComparison {
    /// Reads a comparison CSV and compares the two models in it.
    package init(contentsOf url: URL, bootstrap: PairedBootstrap = PairedBootstrap()) throws(ComparisonCSVError) {
        self.init(try ComparisonCSVReader.read(contentsOf: url), csv: url.lastPathComponent, bootstrap: bootstrap)
    }
}
