/// Accuracy and F1 of one model on a multiclass task, with the expected JSON's field names.
package struct MulticlassMetrics: Codable, Sendable, Equatable {
    package var accuracy: Double
    package var f1Macro: Double
    package var f1Weighted: Double
    /// Per-class F1 in the order of `classes` (ascending class id).
    package var f1PerClass: [Double]

    enum CodingKeys: String, CodingKey {
        case accuracy
        case f1Macro = "f1_macro"
        case f1Weighted = "f1_weighted"
        case f1PerClass = "f1_per_class"
    }

    /// `classes` must be sklearn's `labels` argument, the sorted union of the classes in y and both models'
    /// predictions: a class that only one model predicts still contributes an F1 of 0 to the macro average.
    package init(labels: [Int], predictions: [Int], classes: [Int]) {
        precondition(labels.count == predictions.count && !labels.isEmpty, "metrics need paired, non-empty input")
        let tally = ClassTally(labels: labels, predictions: predictions, classes: classes)
        accuracy = Double(tally.correct) / Double(labels.count)
        f1PerClass = tally.f1PerClass
        f1Macro = NumPy.mean(f1PerClass)
        let supports = tally.actual.map(Double.init)
        let supportTotal = NumPy.sum(supports)
        f1Weighted = supportTotal == 0 ? 0 : NumPy.sum(zip(f1PerClass, supports).map(*)) / supportTotal
    }
}

/// Per-class counts of true positives, predictions and labels; shared with the bootstrap's resampled macro F1.
struct ClassTally {
    var truePositives: [Int]
    var predicted: [Int]
    var actual: [Int]
    var correct = 0

    init(classCount: Int) {
        truePositives = Array(repeating: 0, count: classCount)
        predicted = truePositives
        actual = truePositives
    }

    init(labels: [Int], predictions: [Int], classes: [Int]) {
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        self.init(classCount: classes.count)
        for (label, prediction) in zip(labels, predictions) {
            guard let labelIndex = position[label], let predictionIndex = position[prediction] else {
                preconditionFailure("class \(label) or \(prediction) is missing from the class list")
            }
            add(labelIndex: labelIndex, predictionIndex: predictionIndex)
        }
    }

    mutating func add(labelIndex: Int, predictionIndex: Int) {
        actual[labelIndex] += 1
        predicted[predictionIndex] += 1
        if labelIndex == predictionIndex {
            truePositives[labelIndex] += 1
            correct += 1
        }
    }

    /// 2TP / (predicted + actual) per class, 0 when the class appears nowhere.
    var f1PerClass: [Double] {
        truePositives.indices.map { ratioOrZero(2 * truePositives[$0], predicted[$0] + actual[$0]) }
    }

    /// Per-class F1 summed left to right in ascending class order, divided by the class count (note, section 5).
    var macroF1: Double {
        var total = 0.0
        for f1 in f1PerClass { total += f1 }
        return total / Double(truePositives.count)
    }
}
