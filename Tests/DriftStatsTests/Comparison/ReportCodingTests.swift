import Foundation
import Testing

@testable import DriftStats

@Suite("ModelComparison JSON")
struct ReportCodingTests {
    @Test("The report survives an encode/decode round trip", arguments: Fixture.allSets)
    func reportRoundTrips(set: String) throws {
        let report = try Fixture.comparison(set)
        let encoder = ModelComparison.makeJSONEncoder()
        let bytes = try encoder.encode(report)
        let decoded = try ModelComparison.makeJSONDecoder().decode(ModelComparison.self, from: bytes)
        #expect(try encoder.encode(decoded) == bytes)
        #expect(decoded.task == report.task && decoded.metrics == report.metrics && decoded.mcnemar == report.mcnemar)
    }

    @Test("A non-finite statistic is written as the string \"inf\"")
    func nonFiniteStatisticIsWrittenAsString() throws {
        let test = PairedTTest(differences: [1, 1, 1])
        #expect(test.statistic == .infinity && test.pvalue == 0)
        let json = try JSONValue(encoding: test)
        #expect(json["statistic"] == .string("inf"))
    }

    @Test("The report carries only the sections of its task")
    func reportCarriesOnlyItsTaskSections() throws {
        let regression = try Fixture.comparison("reg_better_n800")
        #expect(regression.mcnemar == nil && regression.delong == nil)
        #expect(regression.pairedTTest != nil && regression.wilcoxon != nil)
        let multiclass = try Fixture.comparison("mc_3class_n1500")
        #expect(multiclass.delong == nil && multiclass.mcnemar != nil && multiclass.classes == [0, 1, 2])
    }
}
