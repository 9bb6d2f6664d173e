#!/usr/bin/env bash
# Install Debian's Chromium and a CJK font (fonts-noto-cjk) for the test that opens the HTML
# report and the SVG timeline in a real browser. Idempotent and quiet; without apt-get (or if the install fails) that test is
# skipped, with the reason in pytest's summary.
set -uo pipefail
command -v chromium > /dev/null && fc-list :lang=zh | grep -q . && exit 0
command -v apt-get > /dev/null || { echo "chromium.sh: no apt-get; the browser test skips" >&2; exit 0; }
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq > /dev/null && $sudo apt-get install -y -qq chromium fonts-noto-cjk > /dev/null \
    || echo "chromium.sh: install failed; the browser test skips" >&2
exit 0
