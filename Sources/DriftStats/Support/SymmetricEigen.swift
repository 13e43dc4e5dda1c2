import Foundation

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations, accurate to rounding in every
/// eigenvalue, including those that should be zero (which is what the pseudo-inverse's cut-off relies on).
enum SymmetricEigen {
    /// Eigenvalues and eigenvectors (as columns: `vectors[row][k]` belongs to `values[k]`).
    static func decompose(_ matrix: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
        let n = matrix.count
        var a = matrix
        var v = (0..<n).map { row in (0..<n).map { $0 == row ? 1.0 : 0.0 } }
        for _ in 0..<100 {
            var offDiagonal = 0.0
            for i in 0..<n {
                for j in (i + 1)..<n where j < n { offDiagonal += a[i][j] * a[i][j] }
            }
            if offDiagonal == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<n where q < n {
                    if a[p][q] == 0 { continue }
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    // For a huge θ the rotation angle is 1/(2θ); θ² would overflow.
                    let t =
                        abs(theta) > 1e150
                        ? 1 / (2 * theta)
                        : (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k][p]
                        let akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k]
                        let aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k][p]
                        let vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0][$0] }, v)
    }
}
