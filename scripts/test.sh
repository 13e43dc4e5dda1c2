#!/usr/bin/env bash
# The test command: install build and test dependencies, then run every Swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The scikit-learn trainer's venv, for SklearnTrainerTests (the Jenkins simulator needs only python3).
bash scripts/setup_python.sh
swift build --build-tests
swift test --skip-build "$@"
