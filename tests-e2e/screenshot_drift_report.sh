#!/usr/bin/env bash
# Renders the drift HTML report of a shared fixture and takes a headless Chromium screenshot, to check it in a
# real browser. Usage: screenshot_drift_report.sh [OUT.png]. Needs `chromium` (apt) and a built driftloop.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-data/drift-report.png}
mkdir -p "$(dirname "$out")"
fixture=Tests/DriftStatsTests/Fixtures/evidently/small_mixed
html="$(mktemp -d)/report.html"
.build/debug/driftloop drift --reference "$fixture/reference.csv" --current "$fixture/current.csv" --html "$html" >/dev/null || [ $? -eq 1 ]
grep -q "<svg" "$html" || { echo "the report has no charts" >&2; exit 1; }
if grep -Eq 'src="http|href="http|<script' "$html"; then echo "the report is not self-contained" >&2; exit 1; fi
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 --screenshot="$out" "file://$html" 2>/dev/null
size=$(stat -c %s "$out")
# A blank or broken page compresses to a few kilobytes; the rendered report with its charts is about 100 KB.
[ "$size" -gt 40000 ] || { echo "screenshot $out is only $size bytes: the page did not render" >&2; exit 1; }
echo "drift report screenshot: $out ($size bytes)"
