/// McNemar's test on paired correctness: does one model get right what the other gets wrong more often than
/// chance allows? Reproduces statsmodels' `mcnemar(table, exact=True)` and `exact=False` with and without
/// the continuity correction.
package struct McNemarTest: Codable, Sendable, Equatable {
    /// A statistic and its p-value.
    package struct Outcome: Codable, Sendable, Equatable {
        package var statistic: Double
        package var pvalue: Double
    }

    package static let tableLayout = "[[both correct, champion only correct], [challenger only correct, both wrong]]"

    /// `[[n11, b], [c, n00]]`, laid out as `tableLayout` says.
    package var table: [[Int]]
    package var tableLayoutDescription: String
    package var championOnlyCorrect: Int
    package var challengerOnlyCorrect: Int
    /// Exact binomial test: statistic min(b, c), p = min(1, 2·P(Binomial(b + c, ½) ≤ min(b, c))).
    package var exact: Outcome
    /// χ² = (|b − c| − 1)² / (b + c), not floored at 0 (statsmodels). nil when there are no discordant pairs,
    /// where statsmodels would print χ² = inf and p = 0: a p-value of 0 there would read as "certainly different".
    package var chi2ContinuityCorrected: Outcome?
    /// χ² = (b − c)² / (b + c); nil when there are no discordant pairs (statsmodels: NaN).
    package var chi2Uncorrected: Outcome?
    package var edgeCase: String?

    enum CodingKeys: String, CodingKey {
        case table
        case tableLayoutDescription = "table_layout"
        case championOnlyCorrect = "b_champion_only_correct"
        case challengerOnlyCorrect = "c_challenger_only_correct"
        case exact
        case chi2ContinuityCorrected = "chi2_continuity_corrected"
        case chi2Uncorrected = "chi2_uncorrected"
        case edgeCase = "edge_case"
    }

    package var discordantPairs: Int { championOnlyCorrect + challengerOnlyCorrect }

    package init(championCorrect: [Bool], challengerCorrect: [Bool]) {
        precondition(championCorrect.count == challengerCorrect.count, "correctness must be paired")
        var cells = (bothCorrect: 0, championOnly: 0, challengerOnly: 0, bothWrong: 0)
        for (champion, challenger) in zip(championCorrect, challengerCorrect) {
            switch (champion, challenger) {
            case (true, true): cells.bothCorrect += 1
            case (true, false): cells.championOnly += 1
            case (false, true): cells.challengerOnly += 1
            case (false, false): cells.bothWrong += 1
            }
        }
        self.init(
            bothCorrect: cells.bothCorrect,
            championOnlyCorrect: cells.championOnly,
            challengerOnlyCorrect: cells.challengerOnly,
            bothWrong: cells.bothWrong
        )
    }

    package init(bothCorrect: Int, championOnlyCorrect b: Int, challengerOnlyCorrect c: Int, bothWrong: Int) {
        table = [[bothCorrect, b], [c, bothWrong]]
        tableLayoutDescription = Self.tableLayout
        championOnlyCorrect = b
        challengerOnlyCorrect = c
        let smaller = min(b, c)
        let discordant = b + c
        let lowerTail = BinomialDistribution.fairCoinLowerTail(upTo: smaller, trials: discordant)
        exact = Outcome(statistic: Double(smaller), pvalue: min(1, 2 * lowerTail))
        guard discordant > 0 else {
            chi2ContinuityCorrected = nil
            chi2Uncorrected = nil
            edgeCase = "no discordant pairs: the models are right and wrong on the same rows, p = 1"
            return
        }
        let corrected = Double((abs(b - c) - 1) * (abs(b - c) - 1)) / Double(discordant)
        let uncorrected = Double((b - c) * (b - c)) / Double(discordant)
        chi2ContinuityCorrected = Outcome(
            statistic: corrected, pvalue: NormalDistribution.chiSquareOneDegreeSurvival(corrected)
        )
        chi2Uncorrected = Outcome(statistic: uncorrected, pvalue: NormalDistribution.chiSquareOneDegreeSurvival(uncorrected))
        edgeCase = nil
    }
}
