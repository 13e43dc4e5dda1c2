#!/usr/bin/env bash
# Installs what driftloop needs to build on a fresh Debian machine with the Swift toolchain.
set -euo pipefail
if ! dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq libcurl4-openssl-dev libsqlite3-dev >/dev/null
fi
