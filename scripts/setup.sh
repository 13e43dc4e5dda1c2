#!/usr/bin/env bash
# Installs what driftloop needs to build on a fresh Debian machine with the Swift toolchain.
set -euo pipefail
# libcurl for HTTP out; SQLite for the store; pkg-config and the codecs Parquet pages are compressed with.
packages=(libcurl4-openssl-dev libsqlite3-dev pkg-config libsnappy-dev libzstd-dev zlib1g-dev liblz4-dev libbrotli-dev)
missing=()
for package in "${packages[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
