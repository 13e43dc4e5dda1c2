#!/usr/bin/env bash
# Puts `driftloop` on PATH: a release build (the Swift runtime linked in, so the binary runs on its own), installed
# into PREFIX/bin (default ~/.local/bin). Usage: bash scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-$HOME/.local}
bash scripts/setup.sh
swift build -c release --product driftloop --static-swift-stdlib
install -d "$prefix/bin"
install -m 755 .build/release/driftloop "$prefix/bin/driftloop"
echo "installed $prefix/bin/driftloop"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "add it to PATH: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
