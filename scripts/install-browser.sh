#!/usr/bin/env bash
# Installs Debian's Chromium for the storefront's real-browser test (playwright-core drives it; Playwright's own
# browser download is never used). Idempotent; a machine without apt or root only gets a warning, and the test
# then skips with its reason.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; the browser test will skip" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-browser: not root and no sudo; the browser test will skip" >&2
    exit 0
  fi
fi
$SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null ||
  echo "install-browser: apt-get install chromium failed; the browser test will skip" >&2
exit 0
