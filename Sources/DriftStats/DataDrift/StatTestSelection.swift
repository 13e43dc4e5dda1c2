/// Evidently's automatic test choice (`_get_default_stattest`): by column type, the cleaned reference size
/// (<= 1000 rows) and the number of distinct values in reference and current together.
package enum StatTestSelection {
    package static func automatic(type: DriftColumnType, referenceCount: Int, uniqueCount: Int) -> StatTestMethod? {
        let small = referenceCount <= 1000
        switch type {
        case .numerical:
            if uniqueCount <= 2 { return small ? .z : .jensenshannon }
            if uniqueCount <= 5 { return small ? .chisquare : .jensenshannon }
            return small ? .ks : .wasserstein
        case .categorical:
            if uniqueCount <= 2 { return small ? .z : .jensenshannon }
            return small ? .chisquare : .jensenshannon
        case .text:
            return nil
        }
    }
}
