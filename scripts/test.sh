#!/usr/bin/env bash
# The test command: install build dependencies, then run every Swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
