#!/usr/bin/env bash
# Installs what this project needs on a fresh Debian machine with Node 20: pnpm (pinned), the workspace's
# dependencies, and, with --browser (the test command's bootstrap), a Chromium for Playwright and PostgreSQL 15+ for
# the tests that run on it (Debian's packages, when missing). The tests start private PostgreSQL clusters of their
# own; the machine's server is never used or started.
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

if [ "${1:-}" = "--browser" ]; then
  has_postgres() {
    for dir in ${PG_BIN_DIR:-} /usr/lib/postgresql/*/bin; do
      [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || continue
      major="$("$dir/initdb" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
      [ "$major" -ge 15 ] && return 0
    done
    return 1
  }
  if ! has_postgres; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "bootstrap: installing Debian's postgresql for the tests that run on PostgreSQL"
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "bootstrap: PostgreSQL 15 or newer is needed for the tests: sudo apt-get install -y postgresql" \
        "(or set PG_BIN_DIR to the folder holding initdb and pg_ctl)" >&2
      exit 1
    fi
  fi
fi

pnpm install --frozen-lockfile
