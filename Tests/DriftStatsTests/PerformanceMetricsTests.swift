import Testing

@testable import DriftStats

/// Reference values from scikit-learn 1.x (`accuracy_score`, `f1_score`, `log_loss`, `roc_auc_score`, regression metrics).
@Suite struct PerformanceMetricsTests {
    static let labels = ["1", "0", "1", "1", "0", "1", "0", "0", "1", "1"]
    static let predictions = ["1", "0", "0", "1", "1", "1", "0", "1", "1", "0"]
    static let scores = [0.9, 0.2, 0.4, 0.8, 0.6, 0.7, 0.1, 0.55, 0.65, 0.3]

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test func binaryClassificationMatchesScikitLearn() {
        let outcomes = (0..<10).map { ClassificationOutcome(label: Self.labels[$0], prediction: Self.predictions[$0], score: Self.scores[$0]) }
        let metrics = ClassificationMetrics.compute(outcomes, positiveLabel: "1")
        #expect(self.close(metrics["accuracy"], 0.6))
        #expect(self.close(metrics["f1"], 0.6666666666666666))
        #expect(self.close(metrics["precision"], 0.6666666666666666))
        #expect(self.close(metrics["recall"], 0.6666666666666666))
        #expect(self.close(metrics["f1_macro"], 0.5833333333333333))
        #expect(self.close(metrics["log_loss"], 0.5279527958267277))
        #expect(self.close(metrics["roc_auc"], 0.8333333333333333))
    }

    @Test func rocAUCAveragesTiedScores() {
        let tied = [0.5, 0.5, 0.3, 0.8, 0.5, 0.7, 0.1, 0.5, 0.9, 0.3]
        let outcomes = (0..<10).map { ClassificationOutcome(label: Self.labels[$0], prediction: Self.predictions[$0], score: tied[$0]) }
        #expect(self.close(ClassificationMetrics.compute(outcomes, positiveLabel: "1")["roc_auc"], 0.6875))
        let oneClass = [ClassificationOutcome(label: "1", prediction: "1", score: 0.9)]
        #expect(ClassificationMetrics.compute(oneClass, positiveLabel: "1")["roc_auc"] == nil)
    }

    @Test func multiclassMacroAveragesMatchScikitLearn() {
        let labels = ["a", "b", "c", "a", "b", "c", "a", "a"]
        let predictions = ["a", "c", "c", "a", "b", "b", "b", "a"]
        let metrics = ClassificationMetrics.compute(
            zip(labels, predictions).map { ClassificationOutcome(label: $0, prediction: $1) }, positiveLabel: nil)
        #expect(self.close(metrics["f1"], 0.5857142857142857))
        #expect(self.close(metrics["precision"], 0.611111111111111))
        #expect(self.close(metrics["recall"], 0.5833333333333334))
        #expect(metrics["log_loss"] == nil)
    }

    @Test func regressionMatchesScikitLearn() {
        let metrics = RegressionMetrics.compute(labels: [3.0, -0.5, 2.0, 7.0, 4.2], predictions: [2.5, 0.0, 2.0, 8.0, 4.0])
        #expect(self.close(metrics["mae"], 0.44000000000000006))
        #expect(self.close(metrics["rmse"], 0.5549774770204643))
        #expect(self.close(metrics["mape"], 0.27142857142857146))
        #expect(self.close(metrics["r2"], 0.9496600418410042))
        #expect(RegressionMetrics.compute(labels: [2, 2], predictions: [2, 2])["r2"] == 1)
        #expect(MetricOrientation.lowerIsBetter("rmse") && !MetricOrientation.lowerIsBetter("f1"))
    }
}
