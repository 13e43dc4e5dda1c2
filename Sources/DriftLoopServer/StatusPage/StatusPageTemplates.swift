import Mustache

/// The status page's Mustache templates, as Swift constants so no resource bundle is needed. Every value goes
/// through `{{ }}`, which HTML-escapes it; nothing here uses triple braces. No scripts, no external assets:
/// the style is inline.
enum StatusPageTemplates {
    /// The templates by name, the shared `head` and `foot` partials included. Parsed once, at server start.
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(Self.head, named: "head")
        try library.register(Self.foot, named: "foot")
        try library.register(Self.overview, named: "overview")
        try library.register(Self.cycle, named: "cycle")
        try library.register(Self.notFound, named: "not_found")
        return library
    }

    static let style = """
        :root{--ink:#1f2933;--soft:#52606d;--faint:#7b8794;--line:#e4e7eb;--head:#f0f4f8;--page:#f7f9fb}
        *{box-sizing:border-box}
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);background:var(--page);font-size:15px;line-height:1.4}
        header.top{display:flex;align-items:baseline;gap:.75rem;padding:.9rem 2rem;background:#102a43;color:#f0f4f8}
        header.top a.brand{color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none;letter-spacing:.02em}
        header.top .sub{color:#9fb3c8}header.top .when{margin-left:auto;color:#9fb3c8;font-size:.8rem}
        main{padding:1.25rem 2rem 2rem;max-width:1400px}
        h1{font-size:1.35rem;margin:.5rem 0 1rem;display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}
        h1 .mono{font-size:1.2rem}
        h2{font-size:1.05rem;margin:1.75rem 0 .6rem;display:flex;align-items:center;gap:.5rem}
        .count{font-size:.8rem;font-weight:600;background:#d9e2ec;color:#334e68;border-radius:999px;padding:.1rem .55rem}
        a{color:#2166c2;text-decoration:none}a:hover{text-decoration:underline}
        table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.08)}
        th,td{padding:.55rem .75rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;font-size:.88rem}
        tr:last-child td{border-bottom:0}
        th{white-space:nowrap;background:var(--head);font-weight:600;color:#334e68;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th.num{text-align:right}
        .mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.84rem}
        .strong{font-weight:600}.small{font-size:.78rem;color:var(--faint);margin-top:.15rem}.none{color:var(--faint);font-style:italic}
        .nowrap{white-space:nowrap}.details{color:var(--soft);font-size:.8rem;word-break:break-word}
        .badge{display:inline-block;padding:.12rem .55rem;border-radius:999px;font-size:.75rem;font-weight:600;white-space:nowrap}
        .good{background:#e3f9e5;color:#207227}.warn{background:#fff3c4;color:#8d5b00}.bad{background:#ffe3e3;color:#c81e1e}
        .calm{background:#e0e8f9;color:#2d3a8c}.muted{background:#eceff1;color:#52606d}.back{background:#eae2f8;color:#5b2c9e}
        .running{background:#dceefb;color:#0b69a3}
        .version{font-weight:700;font-size:1rem;color:#102a43}
        .cards{display:flex;gap:.75rem;flex-wrap:wrap;margin:0 0 1rem}
        .card{background:#fff;border-radius:8px;padding:.6rem .95rem;box-shadow:0 1px 3px rgba(0,0,0,.08);min-width:8.5rem}
        .card .v{font-size:1.05rem;font-weight:600}.card .l{font-size:.75rem;color:var(--soft);text-transform:uppercase;letter-spacing:.03em}
        .note{background:#fff;border-left:4px solid #9fb3c8;border-radius:6px;padding:.6rem .9rem;margin:.5rem 0;box-shadow:0 1px 3px rgba(0,0,0,.06)}
        .note.bad{border-left-color:#d64545;background:#fff5f5;color:#8a1c1c}.note.good{border-left-color:#3ebd93;background:#f3fcf6;color:#1d5a2a}
        .note.warn{border-left-color:#f0b429;background:#fffbea;color:#6b4500}
        .pass{color:#207227;font-weight:700}.fail{color:#c81e1e;font-weight:700}
        tr.drifted td{background:#fff8f8}
        footer{padding:0 2rem 2rem;color:var(--faint);font-size:.8rem}
        """

    static let head = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refreshSeconds}}<meta http-equiv="refresh" content="{{refreshSeconds}}">{{/refreshSeconds}}
        <title>{{pageTitle}}</title>
        <style>
        \(style)
        </style></head><body>
        <header class="top"><a class="brand" href="/">driftloop</a><span class="sub">status</span><span class="when">rendered {{renderedAt}}{{#refreshSeconds}} · refreshes every {{refreshSeconds}} s{{/refreshSeconds}}</span></header>
        <main>

        """

    static let foot = """
        </main>
        <footer>The same data as JSON: <a href="/v1/pipelines">/v1/pipelines</a> · <a href="/v1/cycles">/v1/cycles</a> · <a href="/metrics">/metrics</a></footer>
        </body></html>

        """

    static let overview = """
        {{> head}}
        <h1>Pipelines <span class="count">{{pipelineCount}}</span></h1>
        {{^pipelines}}<p class="none">No pipelines are configured.</p>{{/pipelines}}
        {{^empty(pipelines)}}
        <table class="pipelines">
        <thead><tr><th>Pipeline</th><th>Champion</th><th>Last cycle</th><th>Outcome</th><th>When</th><th>Current drift</th></tr></thead>
        <tbody>
        {{/empty(pipelines)}}
        {{#pipelines}}
        <tr class="pipeline">
        <td><div class="strong">{{pipelineName}}</div><div class="small">{{model}} · {{trainerKind}} trainer · {{registryKind}} registry</div></td>
        <td>{{#champion}}<span class="version">v{{championVersion}}</span>{{#championSince}}<div class="small nowrap" title="{{championSince}}">{{championChange}} {{championSinceAgo}}</div>{{/championSince}}{{/champion}}{{^champion}}<span class="none">none yet</span>{{/champion}}</td>
        {{#lastCycle}}
        <td><a class="mono" href="/cycles/{{cycleId}}">{{cycleId}}</a><div class="small">{{triggerKind}}{{#cycleReason}}: {{cycleReason}}{{/cycleReason}}</div></td>
        <td><span class="badge {{outcomeClass}}">{{outcomeText}}</span><div class="small nowrap">state {{stateName}}</div></td>
        <td class="nowrap"><span title="{{createdText}}">{{createdAgo}}</span><div class="small">took {{durationText}}</div></td>
        {{/lastCycle}}
        {{^lastCycle}}<td colspan="3"><span class="none">no cycle yet</span></td>{{/lastCycle}}
        <td>{{#currentDrift}}<span class="badge {{driftClass}}">{{driftBadge}}</span> <span class="nowrap">{{driftedCount}} of {{columnCount}} columns · share {{shareText}}</span>
        {{#driftedNames}}<div class="small">drifted: {{driftedNames}}</div>{{/driftedNames}}
        <div class="small">{{#driftCycleId}}from <a href="/cycles/{{driftCycleId}}">{{driftSource}} {{driftCycleId}}</a>{{/driftCycleId}}{{^driftCycleId}}from the {{driftSource}}{{/driftCycleId}}, <span title="{{driftAt}}">{{driftAgo}}</span></div>{{/currentDrift}}
        {{^currentDrift}}<span class="none">not checked yet</span>{{/currentDrift}}</td>
        </tr>
        {{/pipelines}}
        {{^empty(pipelines)}}
        </tbody></table>
        {{/empty(pipelines)}}

        <h2>Recent cycles</h2>
        {{^recentCycles}}<p class="none">No cycles yet. A drift webhook, an alert, a schedule or <span class="mono">POST /v1/pipelines/{name}/retrain</span> starts one.</p>{{/recentCycles}}
        {{^empty(recentCycles)}}
        <table class="cycles">
        <thead><tr><th>Cycle</th><th>Pipeline</th><th>Trigger</th><th>Reason</th><th>Outcome</th><th>State</th><th>Started</th><th class="num">Took</th></tr></thead>
        <tbody>
        {{/empty(recentCycles)}}
        {{#recentCycles}}
        <tr class="cycle"><td><a class="mono" href="/cycles/{{cycleId}}">{{cycleId}}</a></td><td>{{cyclePipeline}}</td><td>{{triggerKind}}</td>
        <td class="details">{{cycleReason}}</td><td><span class="badge {{outcomeClass}}">{{outcomeText}}</span></td><td class="mono">{{stateName}}</td>
        <td class="nowrap" title="{{createdText}}">{{createdAgo}}</td><td class="num">{{durationText}}</td></tr>
        {{/recentCycles}}
        {{^empty(recentCycles)}}
        </tbody></table>
        {{/empty(recentCycles)}}
        {{> foot}}
        """

    static let cycle = """
        {{> head}}
        <p class="small"><a href="/">← all pipelines</a></p>
        {{#cycle}}
        <h1><span>Cycle <span class="mono">{{cycleId}}</span></span> <span class="badge {{outcomeClass}}">{{outcomeText}}</span></h1>
        <div class="cards">
        <div class="card"><div class="l">pipeline</div><div class="v">{{cyclePipeline}}</div></div>
        <div class="card"><div class="l">model</div><div class="v">{{model}}</div></div>
        <div class="card"><div class="l">trigger</div><div class="v">{{triggerKind}}</div></div>
        <div class="card"><div class="l">state · status</div><div class="v"><span class="mono">{{stateName}}</span> · {{statusText}}</div></div>
        <div class="card"><div class="l">started</div><div class="v" title="{{createdText}}">{{createdClock}}</div><div class="small">{{createdDay}} · {{createdAgo}}</div></div>
        <div class="card"><div class="l">{{#finishedText}}took{{/finishedText}}{{^finishedText}}running for{{/finishedText}}</div><div class="v">{{durationText}}</div>{{#finishedText}}<div class="small">finished {{finishedText}}</div>{{/finishedText}}</div>
        </div>
        {{#cycleReason}}<div class="note"><strong>Reason:</strong> {{cycleReason}}</div>{{/cycleReason}}
        {{#failureText}}<div class="note bad"><strong>Failure:</strong> {{failureText}}</div>{{/failureText}}
        {{/cycle}}
        {{#resultText}}<div class="note {{cycle.outcomeClass}}"><strong>Result:</strong> {{resultText}}</div>{{/resultText}}
        {{#approvalText}}<div class="note"><strong>Approval:</strong> {{approvalText}}</div>{{/approvalText}}

        <h2>Transitions <span class="count">{{count(transitions)}}</span></h2>
        <table class="transitions">
        <thead><tr><th>From</th><th>To</th><th>Outcome</th><th>At</th><th class="num">since start</th><th>Details</th></tr></thead>
        <tbody>
        {{#transitions}}
        <tr class="transition"><td class="mono">{{fromState}}</td><td class="mono strong">{{toState}}</td><td>{{transitionOutcome}}</td>
        <td class="nowrap">{{transitionAt}}</td><td class="num">{{sinceStart}}</td><td class="details">{{detailsText}}</td></tr>
        {{/transitions}}
        {{^transitions}}<tr><td colspan="6" class="none">no transitions recorded</td></tr>{{/transitions}}
        </tbody></table>

        {{#drift}}
        <h2>Drift {{#summary}}<span class="badge {{driftClass}}">{{driftBadge}}</span>{{/summary}}</h2>
        {{#summary}}
        <div class="cards">
        <div class="card"><div class="l">columns drifted</div><div class="v">{{driftedCount}} / {{columnCount}}</div></div>
        <div class="card"><div class="l">share (threshold {{shareThresholdText}})</div><div class="v">{{shareText}}</div></div>
        <div class="card"><div class="l">reference / current rows</div><div class="v">{{referenceRows}} / {{currentRows}}</div></div>
        <div class="card"><div class="l">checked</div><div class="v">{{driftAt}}</div></div>
        </div>
        {{/summary}}
        <table class="drift">
        <thead><tr><th>Column</th><th>Type</th><th>Method</th><th class="num">Score</th><th class="num">Threshold</th><th>Drifted</th></tr></thead>
        <tbody>
        {{#driftRows}}
        <tr class="drift-row{{#drifted}} drifted{{/drifted}}"><td class="strong">{{columnName}}{{#isPrediction}} <span class="small">(prediction)</span>{{/isPrediction}}{{#columnNote}}<div class="small">{{columnNote}}</div>{{/columnNote}}</td>
        <td>{{columnType}}</td><td class="mono">{{method}}</td><td class="num">{{scoreText}}</td><td class="num">{{thresholdText}}</td>
        <td>{{#drifted}}<span class="badge bad">drift</span>{{/drifted}}{{^drifted}}<span class="badge good">no drift</span>{{/drifted}}</td></tr>
        {{/driftRows}}
        </tbody></table>
        {{/drift}}

        {{#comparison}}
        <h2>Champion vs challenger <span class="badge {{verdictClass}}">{{verdictText}}</span></h2>
        <table class="comparison">
        <thead><tr><th>Metric</th><th class="num">Champion</th><th class="num">Challenger</th><th>Rule</th><th>Passed</th></tr></thead>
        <tbody>
        {{#comparisonRows}}
        <tr class="comparison-row"><td><span class="strong">{{metricName}}</span><div class="small">{{ruleKind}} · {{directionText}}</div></td>
        <td class="num">{{championValue}}</td><td class="num">{{challengerValue}}</td>
        <td>{{requirement}}<div class="small">{{explanation}}</div></td>
        <td>{{#passed}}<span class="pass">✓ passed</span>{{/passed}}{{^passed}}<span class="fail">✗ failed</span>{{/passed}}</td></tr>
        {{/comparisonRows}}
        </tbody></table>
        {{/comparison}}

        {{^empty(triggers)}}
        <h2>Triggers <span class="count">{{triggersTotal}}</span></h2>
        <table class="triggers">
        <thead><tr><th>#</th><th>Kind</th><th>Source</th><th>Reason</th><th>Disposition</th><th>Received</th></tr></thead>
        <tbody>
        {{/empty(triggers)}}
        {{#triggers}}
        <tr><td class="num">{{triggerId}}</td><td>{{kindOfTrigger}}</td><td>{{triggerSource}}</td><td class="details">{{triggerReason}}</td><td>{{disposition}}</td><td class="nowrap">{{receivedAt}}</td></tr>
        {{/triggers}}
        {{^empty(triggers)}}
        </tbody></table>
        {{/empty(triggers)}}
        {{#moreTriggersText}}<p>{{moreTriggersText}}</p>{{/moreTriggersText}}
        {{> foot}}
        """

    static let notFound = """
        {{> head}}
        <h1>Not found</h1>
        <div class="note warn">{{missingWhat}}</div>
        <p><a href="/">← all pipelines</a></p>
        {{> foot}}
        """
}
