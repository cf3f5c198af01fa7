#!/usr/bin/env bash
# Install Debian's Chromium for the browser check (Playwright drives it through playwright-core
# with executablePath /usr/bin/chromium; Playwright's own browser download cannot work here).
# Idempotent: does nothing when /usr/bin/chromium already runs.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]] && "$CHROMIUM" --version >/dev/null 2>&1; then
	echo "chromium present: $("$CHROMIUM" --version)"
	exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi # CI and sessions run as root; a developer may not

export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: update first.
$SUDO apt-get update -qq || { echo "apt-get update failed (are Debian's package mirrors reachable?)" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null ||
	{ echo "apt-get install chromium failed" >&2; exit 1; }
echo "chromium installed: $("$CHROMIUM" --version)"
