import Foundation

extension Special {
    struct EppsSingletonResult {
        var statistic: Double
        var pValue: Double
    }

    enum EppsSingletonFailure: Error {
        case tooFewObservations
        case zeroInterquartileRange
    }

    /// `scipy.stats.epps_singleton_2samp(x, y)` with t = (0.4, 0.8): the empirical characteristic functions at
    /// t/σ (σ = IQR/2 of the pooled data) compared through the pseudo-inverse of their pooled covariance, χ² with
    /// the rank of that covariance as degrees of freedom, and the small-sample correction below 25 values.
    static func eppsSingleton(_ x: [Double], _ y: [Double]) throws(EppsSingletonFailure) -> EppsSingletonResult {
        let nx = x.count
        let ny = y.count
        if nx < 5 || ny < 5 { throw .tooFewObservations }
        let pooled = FloatRadixSort.sorted(x + y)
        let iqr = NumPy.percentileLinear(sorted: pooled, 75) - NumPy.percentileLinear(sorted: pooled, 25)
        // Evidently refuses a zero IQR before SciPy would divide by it.
        if iqr == 0 { throw .zeroInterquartileRange }
        let sigma = iqr / 2
        let frequencies = [0.4 / sigma, 0.8 / sigma]

        func features(_ values: [Double]) -> [[Double]] {
            [
                values.map { cos(frequencies[0] * $0) },
                values.map { cos(frequencies[1] * $0) },
                values.map { sin(frequencies[0] * $0) },
                values.map { sin(frequencies[1] * $0) },
            ]
        }
        /// Covariance with divisor n (SciPy takes np.cov's n−1 version and rescales it by (n−1)/n).
        func biasedCovariance(_ rows: [[Double]]) -> (means: [Double], covariance: [[Double]]) {
            let count = Double(rows[0].count)
            let means = rows.map { NumPy.sum($0) / count }
            let centred = zip(rows, means).map { row, mean in row.map { $0 - mean } }
            var covariance = [[Double]](repeating: [0, 0, 0, 0], count: 4)
            for i in 0..<4 {
                for j in i..<4 {
                    var total = 0.0
                    for index in 0..<centred[i].count { total += centred[i][index] * centred[j][index] }
                    let value = total / (count - 1) * (count - 1) / count
                    covariance[i][j] = value
                    covariance[j][i] = value
                }
            }
            return (means, covariance)
        }

        let (meansX, covarianceX) = biasedCovariance(features(x))
        let (meansY, covarianceY) = biasedCovariance(features(y))
        let n = Double(nx + ny)
        var pooledCovariance = [[Double]](repeating: [0, 0, 0, 0], count: 4)
        for i in 0..<4 {
            for j in 0..<4 {
                pooledCovariance[i][j] = (n / Double(nx)) * covarianceX[i][j] + (n / Double(ny)) * covarianceY[i][j]
            }
        }
        let (inverse, rank) = symmetricPseudoInverse(pooledCovariance)
        let difference = (0..<4).map { meansX[$0] - meansY[$0] }
        var quadratic = 0.0
        for i in 0..<4 {
            for j in 0..<4 { quadratic += difference[i] * inverse[i][j] * difference[j] }
        }
        var w = n * quadratic
        if max(nx, ny) < 25 {
            let correction = 1.0 / (1.0 + pow(n, -0.45) + 10.1 * (pow(Double(nx), -1.7) + pow(Double(ny), -1.7)))
            w *= correction
        }
        let p = ChiSquareDistribution.survival(w, degreesOfFreedom: Double(rank))
        return EppsSingletonResult(statistic: w, pValue: p)
    }

    /// Moore-Penrose inverse of a symmetric positive semi-definite matrix and the rank of that inverse, with
    /// NumPy's cut-offs (singular values below max(M, N)·ε·σ_max are zero). Data with few distinct values
    /// (a binary column) make the covariance singular, and the test then has fewer degrees of freedom.
    static func symmetricPseudoInverse(_ matrix: [[Double]]) -> (inverse: [[Double]], rank: Int) {
        let size = matrix.count
        let (values, vectors) = SymmetricEigen.decompose(matrix)
        let epsilon = 2.220446049250313e-16
        let largest = values.map { abs($0) }.max() ?? 0
        let cutoff = Double(size) * epsilon * largest
        var inverse = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
        var kept: [Double] = []
        for (index, value) in values.enumerated() where abs(value) > cutoff {
            kept.append(1 / abs(value))
            for i in 0..<size {
                for j in 0..<size { inverse[i][j] += vectors[i][index] * vectors[j][index] / value }
            }
        }
        let largestInverse = kept.max() ?? 0
        let rank = kept.filter { $0 > largestInverse * Double(size) * epsilon }.count
        return (inverse, rank)
    }
}
