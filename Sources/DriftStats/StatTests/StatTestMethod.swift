/// Evidently's stat tests by their `method=` names, with each one's default threshold and drift rule.
package enum StatTestMethod: String, Sendable, Codable, CaseIterable {
    case ks
    case chisquare
    case z
    case wasserstein
    case jensenshannon
    case psi
    case klDivergence = "kl_div"
    case hellinger
    case energyDistance = "ed"
    case tTest = "t_test"
    case mannWhitney = "mannw"
    case anderson
    case cramerVonMises = "cramer_von_mises"
    case fisherExact = "fisher_exact"
    case gTest = "g_test"
    case eppsSingleton = "es"
    case totalVariation = "TVD"
    case empiricalMMD = "empirical_mmd"

    package var defaultThreshold: Double {
        switch self {
        case .ks, .chisquare, .z, .tTest, .mannWhitney, .eppsSingleton: 0.05
        default: 0.1
        }
    }

    /// Column types the test accepts when asked for explicitly (the automatic choice also applies chisquare and
    /// z to numeric columns with few values, as Evidently does).
    package var columnTypes: Set<DriftColumnType> {
        switch self {
        case .ks, .wasserstein, .energyDistance, .tTest, .mannWhitney, .anderson, .cramerVonMises, .eppsSingleton, .empiricalMMD: [.numerical]
        case .chisquare, .z, .fisherExact, .gTest, .totalVariation: [.categorical]
        case .jensenshannon, .psi, .klDivergence, .hellinger: [.numerical, .categorical]
        }
    }

    /// Whether the score is a p-value (drift when it is small), which a multiple-testing correction adjusts.
    package var scoreIsPValue: Bool {
        switch self {
        case .ks, .cramerVonMises, .chisquare, .z, .tTest, .mannWhitney, .anderson, .fisherExact, .gTest, .eppsSingleton, .totalVariation,
            .empiricalMMD:
            true
        case .wasserstein, .jensenshannon, .psi, .klDivergence, .hellinger, .energyDistance: false
        }
    }

    /// Evidently's comparison, test by test: p-values drift below the threshold (`<=` for ks), distances at or
    /// above it (strictly above for energy distance). A NaN score never drifts.
    package func isDrift(score: Double, threshold: Double) -> Bool {
        switch self {
        case .ks, .cramerVonMises: score <= threshold
        case .chisquare, .z, .tTest, .mannWhitney, .anderson, .fisherExact, .gTest, .eppsSingleton, .totalVariation, .empiricalMMD:
            score < threshold
        case .wasserstein, .jensenshannon, .psi, .klDivergence, .hellinger: score >= threshold
        case .energyDistance: score > threshold
        }
    }

    package func score(reference: DriftSample, current: DriftSample, type: DriftColumnType) throws(StatTestError) -> Double {
        switch self {
        case .ks: return try KolmogorovSmirnovTest.pValue(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .chisquare: return ChiSquareGoodnessOfFit.pValue(CategoryCounts(reference, current))
        case .z: return ProportionZTest.pValue(reference, current)
        case .wasserstein: return WassersteinDistance.normed(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .energyDistance: return WassersteinDistance.energyDistance(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .jensenshannon: return BinnedDivergence.jensenShannon(HistogramBinning.proportions(reference, current, type: type, fillZeroes: false))
        case .psi: return BinnedDivergence.populationStability(HistogramBinning.proportions(reference, current, type: type, fillZeroes: true))
        case .klDivergence: return BinnedDivergence.kullbackLeibler(HistogramBinning.proportions(reference, current, type: type, fillZeroes: true))
        case .hellinger: return HellingerDistance.distance(reference, current, type: type)
        case .tTest: return StudentTTest.pValue(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .mannWhitney: return MannWhitneyTest.pValueLess(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .anderson: return AndersonDarlingTest.pValue(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .cramerVonMises: return CramerVonMisesTest.pValue(try Self.numbers(reference, self), try Self.numbers(current, self))
        case .fisherExact: return try FisherExactTest.pValue(reference, current)
        case .gTest: return try GTest.pValue(reference, current)
        case .eppsSingleton:
            do {
                return try Special.eppsSingleton(try Self.numbers(reference, self), try Self.numbers(current, self)).pValue
            } catch let error as StatTestError {
                throw error
            } catch Special.EppsSingletonFailure.zeroInterquartileRange {
                throw .failed(method: "es", reason: "the pooled interquartile range is zero (a constant or zero-inflated column)")
            } catch {
                throw .failed(method: "es", reason: "each side needs at least 5 values")
            }
        case .totalVariation: return PermutationTests.totalVariation(reference, current)
        case .empiricalMMD: return try PermutationTests.empiricalMMD(try Self.numbers(reference, self), try Self.numbers(current, self))
        }
    }

    private static func numbers(_ sample: DriftSample, _ method: StatTestMethod) throws(StatTestError) -> [Double] {
        guard let numbers = sample.numbers else { throw StatTestError.notApplicable(method: method.rawValue, type: .categorical) }
        return numbers
    }
}

/// How a column is tested, as Evidently types it: numerical, categorical or text (text columns are not tested).
package enum DriftColumnType: String, Sendable, Codable {
    case numerical = "num"
    case categorical = "cat"
    case text
}

/// Why a column could not be tested: an unknown method name, a method that does not apply to the column's type, an
/// empty column, or a method whose preconditions the data does not meet. The report shows it for that column.
package enum StatTestError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownMethod(String)
    case notApplicable(method: String, type: DriftColumnType)
    case emptyColumn(String)
    case unequalSizes(method: String, reference: Int, current: Int)
    case notBinary(method: String, categories: Int)
    case failed(method: String, reason: String)

    package var description: String {
        switch self {
        case .unknownMethod(let name):
            "unknown stat test `\(name)`; expected one of \(StatTestMethod.allCases.map(\.rawValue).joined(separator: ", "))"
        case .notApplicable(let method, let type):
            "stat test `\(method)` does not apply to \(type.rawValue) columns"
        case .emptyColumn(let column):
            "column `\(column)` has no values left after dropping missing and infinite ones"
        case .unequalSizes(let method, let reference, let current):
            "stat test `\(method)` needs reference and current of equal size (got \(reference) and \(current)), as in Evidently"
        case .failed(let method, let reason):
            "stat test `\(method)` cannot run here: \(reason)"
        case .notBinary(let method, let categories):
            "stat test `\(method)` needs a binary column (found \(categories) categories)"
        }
    }
}
