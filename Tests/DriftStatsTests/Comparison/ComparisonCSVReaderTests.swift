import DriftData
import Foundation
import Testing

@testable import DriftStats

@Suite("Comparison CSV reader")
struct ComparisonCSVReaderTests {
    @Test("Each layout is recognized from its header", arguments: Fixture.allSets)
    func layoutIsRecognized(set: String) throws {
        let data = try Fixture.data(set)
        switch data {
        case .binary: #expect(set.hasPrefix("bin_"))
        case .multiclass: #expect(set.hasPrefix("mc_"))
        case .regression: #expect(set.hasPrefix("reg_"))
        }
    }

    @Test("Numbers are parsed with Double(text), CRLF and a trailing newline are accepted")
    func numbersParseLikeDoubleText() throws {
        let text = "id,y,champion_pred,challenger_pred\r\na,0.1,1e-3,-2.5\r\nb,3,0x1p-2,7\r\n\r\n"
        guard case .regression(let data) = try ComparisonCSVReader.read(text) else {
            Issue.record("expected the regression layout")
            return
        }
        #expect(data.ids == ["a", "b"])
        #expect(data.targets == [Double("0.1")!, 3])
        #expect(data.championPredictions == [1e-3, 0.25])
        #expect(data.challengerPredictions == [-2.5, 7])
    }

    @Test(
        "Errors name the line, the column and what was expected",
        arguments: [
            ("", ComparisonCSVError.emptyInput),
            (
                "id,label,score\n0,1,0.5\n",
                .unrecognizedHeader(
                    line: 1, found: "id,label,score", expected: ComparisonCSVLayout.allCases.map { $0.header.joined(separator: ",") }
                )
            ),
            ("id,label,champion_score,challenger_score\n", .noDataRows(line: 2)),
            ("id,label,champion_score,challenger_score\n0,1,0.5,0.5\n1,0,0.5\n", .wrongFieldCount(line: 3, expected: 4, found: 3)),
            ("id,label,champion_score,challenger_score\n0,1,0.5,0.5\n\n1,0,0.5,0.5\n", .wrongFieldCount(line: 3, expected: 4, found: 1)),
            (
                "id,label,champion_score,challenger_score\n0,2,0.5,0.5\n",
                .invalidValue(
                    line: 2, column: 2, columnName: "label", text: "2", expected: "a label 0 or 1"
                )
            ),
            (
                "id,label,champion_score,challenger_score\n0,1,0.5,1.5\n",
                .invalidValue(
                    line: 2, column: 4, columnName: "challenger_score", text: "1.5", expected: "a probability score in [0, 1]"
                )
            ),
            (
                "id,label,champion_score,challenger_score\n0,1, 0.5,0.5\n",
                .invalidValue(
                    line: 2, column: 3, columnName: "champion_score", text: " 0.5", expected: "a probability score in [0, 1]"
                )
            ),
            (
                "id,label,champion_pred,challenger_pred\n0,1,2,1.5\n",
                .invalidValue(
                    line: 2, column: 4, columnName: "challenger_pred", text: "1.5", expected: "an integer class id"
                )
            ),
            (
                "id,y,champion_pred,challenger_pred\n0,1,2,3\n1,nan,2,3\n",
                .invalidValue(
                    line: 3, column: 2, columnName: "y", text: "nan", expected: "a finite number"
                )
            ),
        ])
    func errorsNameLineColumnAndExpectation(text: String, expected: ComparisonCSVError) {
        #expect(throws: expected) { try ComparisonCSVReader.read(text) }
    }

    @Test("An error message reads with line and column")
    func errorMessageReadsWell() {
        let error = ComparisonCSVError.invalidValue(
            line: 7, column: 3, columnName: "champion_score", text: "abc", expected: "a probability score in [0, 1]"
        )
        #expect(error.description == "line 7, column 3 (champion_score): expected a probability score in [0, 1], found \"abc\"")
    }

    @Test("A required layout rejects the other headers")
    func requiredLayoutRejectsOthers() {
        let text = "id,y,champion_pred,challenger_pred\n0,1,2,3\n"
        #expect(throws: ComparisonCSVError.self) { try ComparisonCSVReader.read(text, expecting: .binary) }
    }

    @Test("A missing file is a typed error")
    func missingFileIsTyped() {
        let url = URL(fileURLWithPath: "/nonexistent/comparison.csv")
        #expect {
            try ComparisonCSVReader.read(contentsOf: url)
        } throws: { error in
            guard case .unreadableFile(let path, _) = error as? ComparisonCSVError else { return false }
            return path == url.path
        }
    }
}
