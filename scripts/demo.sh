#!/usr/bin/env bash
# The main job in one command: install build dependencies, build, and run the demo cycle on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c debug --product driftloop
exec .build/debug/driftloop demo "$@"
