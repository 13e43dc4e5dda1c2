import DriftStats
import Foundation

/// A self-contained HTML page (inline CSS and SVG, no scripts, no network) explaining a drift report: the summary
/// first, then every column sorted by drift with reference and current distributions overlaid.
package enum DriftHTMLReport {
    package static func render(_ report: DataDriftReport, reference: DataTable, current: DataTable, title: String = "Data drift") -> String {
        let columns = report.columns.sorted { lhs, rhs in
            if lhs.drifted != rhs.drifted { return lhs.drifted }
            return Self.severity(lhs) > Self.severity(rhs)
        }
        var rows = ""
        for column in columns {
            let chart: String
            if let referenceColumn = reference[column.column], let currentColumn = current[column.column] {
                chart =
                    column.columnType == .numerical
                    ? Self.histogramSVG(referenceColumn, currentColumn) : Self.barsSVG(referenceColumn, currentColumn)
            } else {
                chart = ""
            }
            let verdict =
                column.drifted
                ? "<span class=\"badge drift\">drift</span>"
                : (column.error != nil ? "<span class=\"badge na\">not tested</span>" : "<span class=\"badge ok\">no drift</span>")
            let score = column.score.map { Self.format($0) } ?? "–"
            rows += """
                <tr>
                  <td class="name">\(Self.escape(column.column))<div class="type">\(column.columnType.rawValue), \(column.referenceCount) / \(column.currentCount) values</div></td>
                  <td>\(Self.escape(column.stattest))</td><td class="num">\(score)</td><td class="num">\(column.threshold.map { Self.format($0) } ?? "–")</td>
                  <td>\(verdict)\(column.error.map { "<div class=\"note\">\(Self.escape($0))</div>" } ?? "")</td>
                  <td class="chart">\(chart)</td>
                </tr>

                """
        }
        let headline = report.datasetDrift ? "Dataset drift detected" : "No dataset drift"
        var sources = ""
        for (side, summary) in [("reference", report.referenceSource), ("current", report.currentSource)] {
            guard let summary else { continue }
            sources +=
                "<div class=\"legend\">\(side): \(Self.escape(summary.source)) (\(Self.escape(summary.format)), \(summary.rows) rows"
                + (summary.objects.map { ", \($0) objects" } ?? "") + ")</div>\n"
        }
        for excluded in report.excludedColumns ?? [] {
            sources += "<div class=\"legend\">left out: <b>\(Self.escape(excluded.column))</b>, \(Self.escape(excluded.reason))</div>\n"
        }
        for warning in report.warnings ?? [] {
            sources += "<div class=\"legend warning\">warning: \(Self.escape(warning.description))</div>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2933;background:#f7f9fb}
            h1{font-size:1.5rem;margin:0 0 .25rem}
            .summary{display:flex;gap:1rem;margin:1rem 0 1.5rem;flex-wrap:wrap}
            .card{background:#fff;border-radius:8px;padding:.8rem 1.1rem;box-shadow:0 1px 3px rgba(0,0,0,.08);min-width:9rem}
            .card .v{font-size:1.4rem;font-weight:600}.card .l{font-size:.8rem;color:#52606d}
            .alert{border-left:5px solid #d64545}.calm{border-left:5px solid #3ebd93}
            table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
            th,td{padding:.55rem .7rem;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:middle;font-size:.9rem}
            th{background:#f0f4f8;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
            .name{font-weight:600}.type,.note{font-weight:400;font-size:.75rem;color:#7b8794}
            .badge{padding:.15rem .5rem;border-radius:999px;font-size:.75rem;font-weight:600}
            .drift{background:#ffe3e3;color:#c81e1e}.ok{background:#e3f9e5;color:#207227}.na{background:#eceff1;color:#52606d}
            .legend{font-size:.8rem;color:#52606d;margin:.5rem 0}.legend i{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;vertical-align:-1px}.legend.warning{color:#8a4b08;background:#fff7e6;border-left:3px solid #d97706;padding:.3rem .5rem}
            </style></head><body>
            <h1>\(Self.escape(title)): \(headline)</h1>
            <div class="legend">Same tests, thresholds and verdicts as Evidently's DataDriftPreset.<i style="background:#4c78a8"></i>reference<i style="background:#f58518"></i>current</div>
            \(sources)            <div class="summary">
              <div class="card \(report.datasetDrift ? "alert" : "calm")"><div class="v">\(report.datasetDrift ? "yes" : "no")</div><div class="l">dataset drift</div></div>
              <div class="card"><div class="v">\(report.driftedColumns) / \(report.columns.count)</div><div class="l">columns drifted</div></div>
              <div class="card"><div class="v">\(Self.format(report.share))</div><div class="l">share (threshold \(Self.format(report.shareThreshold)))</div></div>
              <div class="card"><div class="v">\(report.referenceRows) / \(report.currentRows)</div><div class="l">reference / current rows</div></div>
            </div>
            <table><thead><tr><th>Column</th><th>Test</th><th>Score</th><th>Threshold</th><th>Verdict</th><th>Reference vs current</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            </body></html>

            """
    }

    /// How far past (or short of) its threshold a column is, to order columns within the same verdict.
    static func severity(_ column: DataDriftReport.Column) -> Double {
        guard let score = column.score, let threshold = column.threshold, threshold > 0 else { return -.infinity }
        let isPValue = ["ks", "chisquare", "z", "t_test", "mannw"].contains(column.stattest)
        return isPValue ? -log10(max(score, 1e-300)) + log10(threshold) : score / threshold
    }

    static let width = 260.0
    static let height = 70.0

    static func histogramSVG(_ reference: TableColumn, _ current: TableColumn) -> String {
        guard let r = reference.finiteNumbers(), let c = current.finiteNumbers(), !r.isEmpty, !c.isEmpty else { return "" }
        var edges = HistogramBinning.sturgesEdges(r + c, integer: false)
        if edges.count > 41 { edges = HistogramBinning.linspace(edges[0], edges[edges.count - 1], 41) }
        let referenceShares = HistogramBinning.histogram(r, edges: edges).map { $0 / Double(r.count) }
        let currentShares = HistogramBinning.histogram(c, edges: edges).map { $0 / Double(c.count) }
        let top = max(referenceShares.max() ?? 1, currentShares.max() ?? 1, 1e-9)
        let barWidth = Self.width / Double(referenceShares.count)
        var shapes = ""
        for (shares, colour) in [(referenceShares, "#4c78a8"), (currentShares, "#f58518")] {
            for (index, share) in shares.enumerated() where share > 0 {
                let h = share / top * (Self.height - 12)
                shapes +=
                    "<rect x=\"\(Self.format(Double(index) * barWidth))\" y=\"\(Self.format(Self.height - 12 - h))\" width=\"\(Self.format(max(barWidth - 0.5, 0.5)))\" height=\"\(Self.format(h))\" fill=\"\(colour)\" fill-opacity=\"0.55\"/>"
            }
        }
        let low = Self.format(edges[0]), high = Self.format(edges[edges.count - 1])
        return Self.svg(
            shapes
                + "<text x=\"0\" y=\"\(Self.height - 1)\">\(low)</text><text x=\"\(Self.width)\" y=\"\(Self.height - 1)\" text-anchor=\"end\">\(high)</text>"
        )
    }

    static func barsSVG(_ reference: TableColumn, _ current: TableColumn) -> String {
        let r = reference.categoricalValues(), c = current.categoricalValues()
        guard !r.isEmpty, !c.isEmpty else { return "" }
        var referenceCounts: [String: Double] = [:], currentCounts: [String: Double] = [:]
        for value in r { referenceCounts[value, default: 0] += 1 }
        for value in c { currentCounts[value, default: 0] += 1 }
        let categories = Set(referenceCounts.keys).union(currentCounts.keys)
            .sorted { (referenceCounts[$0] ?? 0) + (currentCounts[$0] ?? 0) > (referenceCounts[$1] ?? 0) + (currentCounts[$1] ?? 0) }
            .prefix(12)
        let shares = categories.map { ((referenceCounts[$0] ?? 0) / Double(r.count), (currentCounts[$0] ?? 0) / Double(c.count)) }
        let top = max(shares.map { max($0.0, $0.1) }.max() ?? 1, 1e-9)
        let group = Self.width / Double(categories.count)
        var shapes = ""
        for (index, category) in categories.enumerated() {
            let x = Double(index) * group
            let bar = max(group / 2 - 1, 1)
            for (offset, share, colour) in [(0.0, shares[index].0, "#4c78a8"), (bar, shares[index].1, "#f58518")] {
                let h = share / top * (Self.height - 12)
                shapes +=
                    "<rect x=\"\(Self.format(x + offset))\" y=\"\(Self.format(Self.height - 12 - h))\" width=\"\(Self.format(bar))\" height=\"\(Self.format(h))\" fill=\"\(colour)\"><title>\(Self.escape(category)): \(Self.format(share))</title></rect>"
            }
            if categories.count <= 6 {
                shapes +=
                    "<text x=\"\(Self.format(x + group / 2))\" y=\"\(Self.height - 1)\" text-anchor=\"middle\">\(Self.escape(String(category.prefix(10))))</text>"
            }
        }
        return Self.svg(shapes)
    }

    static func svg(_ content: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" font-size=\"9\" fill=\"#52606d\">\(content)</svg>"
    }

    static func format(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) < 0.001 || abs(value) >= 100_000 { return String(format: "%.3g", value) }
        return String(format: "%.4g", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
