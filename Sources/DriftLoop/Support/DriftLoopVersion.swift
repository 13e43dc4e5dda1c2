/// The version `driftloop --version` and `driftloop_build_info` report.
package enum DriftLoopVersion {
    package static let current = "0.6.0"
}
