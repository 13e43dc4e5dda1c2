/// The version `driftloop --version` and `driftloop_build_info` report.
public enum DriftLoopVersion {
    public static let current = "0.6.0"
}
