import Foundation

/// Multinomial logistic regression (binary is the two-class case), fitted by full-batch gradient descent
/// with L2 regularisation. Small, deterministic and dependency-free: enough to make the built-in trainer real.
struct SoftmaxRegression: Codable, Sendable {
    var classes: [String]
    /// weights[class][feature]
    var weights: [[Double]]
    var biases: [Double]

    static func fit(
        inputs: [[Double]], labels: [Int], classCount: Int, iterations: Int = 400, learningRate: Double = 0.5, l2: Double = 1e-3, classes: [String]
    ) -> SoftmaxRegression {
        let featureCount = inputs.first?.count ?? 0
        var weights = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
        var biases = [Double](repeating: 0, count: classCount)
        let n = Double(max(1, inputs.count))
        for _ in 0..<iterations {
            var gradientW = [[Double]](repeating: [Double](repeating: 0, count: featureCount), count: classCount)
            var gradientB = [Double](repeating: 0, count: classCount)
            for (row, label) in zip(inputs, labels) {
                let probabilities = Self.probabilities(row, weights: weights, biases: biases)
                for k in 0..<classCount {
                    let error = probabilities[k] - (k == label ? 1 : 0)
                    gradientB[k] += error
                    for j in 0..<featureCount { gradientW[k][j] += error * row[j] }
                }
            }
            for k in 0..<classCount {
                biases[k] -= learningRate * gradientB[k] / n
                for j in 0..<featureCount {
                    weights[k][j] -= learningRate * (gradientW[k][j] / n + l2 * weights[k][j])
                }
            }
        }
        return SoftmaxRegression(classes: classes, weights: weights, biases: biases)
    }

    func probabilities(_ row: [Double]) -> [Double] {
        Self.probabilities(row, weights: self.weights, biases: self.biases)
    }

    private static func probabilities(_ row: [Double], weights: [[Double]], biases: [Double]) -> [Double] {
        var logits = [Double](repeating: 0, count: biases.count)
        for k in 0..<biases.count {
            var sum = biases[k]
            let w = weights[k]
            for j in 0..<row.count { sum += w[j] * row[j] }
            logits[k] = sum
        }
        let maximum = logits.max() ?? 0
        let exponentials = logits.map { exp($0 - maximum) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}

/// A trained model as the built-in trainer stores it: the encoder and the regression, one JSON file.
struct BuiltinModel: Codable, Sendable {
    var format = "driftloop-softmax-v1"
    var target: String
    var features: [String]
    var encoder: FeatureEncoder
    var regression: SoftmaxRegression

    func predictProbabilities(table: TrainingTable, rows: [Int]) -> [[Double]] {
        rows.map { self.regression.probabilities(self.encoder.encode(row: table.rows[$0], header: table.header)) }
    }
}
