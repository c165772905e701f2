#!/usr/bin/env bash
# Installs what this project needs on a fresh Debian machine with Node 20: pnpm (pinned), the workspace's
# dependencies, and, with --browser, a Chromium for Playwright (Debian's package when no browser is present).
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION"
  npm install --global --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null
fi

if [ "${1:-}" = "--browser" ]; then
  # A CJK font, so the zh-CN pages render in screenshots (best effort: the tests do not depend on glyphs).
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && command -v fc-list >/dev/null 2>&1 \
    && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
    echo "bootstrap: installing a CJK font (fonts-wqy-microhei)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei; } >/dev/null 2>&1 \
      || echo "bootstrap: could not install fonts-wqy-microhei; Chinese text may render as boxes in screenshots"
  fi
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
    :
  elif command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    :
  elif ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/ >/dev/null 2>&1; then
    :
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's chromium for the end-to-end tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  else
    echo "bootstrap: no Chromium found; install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi

pnpm install --frozen-lockfile
