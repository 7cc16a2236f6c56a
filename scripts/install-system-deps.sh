#!/usr/bin/env bash
# Debian packages the tests need: chromium (the real-browser test drives it
# through Playwright's Python client; never a browser download) and fonts with
# Vietnamese glyphs for screenshots; Java 17 for the Spark engine's test
# (PySpark in local mode); nginx for several app processes behind one address
# (deploy/nginx-motcua.conf, docs/OPERATIONS.md "Serving many people"), which
# scripts/load_test.py --processes N starts. Debian's package is `nginx`
# (nginx-light is only a transitional package since bookworm); the script
# runs its own nginx from a temporary prefix and never starts the system
# service, so an install that finds no running service manager is enough.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
# Packages must not start services while installing (nginx's would take port
# 80, and on a machine without a service manager its failed start would fail
# the install): policy-rc.d answering 101 is Debian's way to say so.
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
