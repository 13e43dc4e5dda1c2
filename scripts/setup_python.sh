#!/usr/bin/env bash
# Makes the Python venv the scikit-learn trainer and its tests run in: .venv/sklearn, from pinned requirements.
# Skipped when the venv already has them. The Jenkins simulator needs only the system python3 (stdlib).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv/sklearn
requirements=examples/sklearn-trainer/requirements.txt
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then exit 0; fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$requirements"
echo "$want" > "$stamp"
echo "setup_python: $venv ready ($("$venv/bin/python" -c 'import sklearn; print("scikit-learn", sklearn.__version__)'))"
