#!/usr/bin/env bash
# First checks that Node is as new as package.json's engines.node asks, and says what to install when it is not
# (`--check-node` stops there). Then installs what this project needs on a fresh Debian machine: pnpm (pinned), the
# workspace's dependencies, and, with --browser (the test command's bootstrap), a Chromium for Playwright, and
# PostgreSQL 15+ and nginx for the tests that run on them (Debian's packages, when missing). The tests start private
# PostgreSQL clusters and nginx processes of their own; the machine's servers are never used or started.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9

# The Node version the workspace needs, from the root package.json's engines.node (">=MAJOR.MINOR[.PATCH]"), read
# with sed: the check must work when node is missing or too old to run anything.
required_node() {
  sed -n -E 's/^[[:space:]]*"node":[[:space:]]*">=[[:space:]]*([0-9]+(\.[0-9]+){0,2})[[:space:]]*".*/\1/p' package.json | head -n 1
}

# Succeeds when version $1 (MAJOR.MINOR.PATCH, a leading v allowed) is at least version $2.
version_at_least() {
  local have="${1#v}" need="$2" i h n
  IFS=. read -r -a h <<<"$have"
  IFS=. read -r -a n <<<"$need"
  for i in 0 1 2; do
    h[i]="${h[i]:-0}" n[i]="${n[i]:-0}"
    h[i]="${h[i]%%[!0-9]*}"
    if ((10#${h[i]:-0} > 10#${n[i]})); then return 0; fi
    if ((10#${h[i]:-0} < 10#${n[i]})); then return 1; fi
  done
  return 0
}

# Before anything else: with an older Node, pnpm and the build fail later with messages that do not say why.
check_node() {
  local need have
  need="$(required_node)"
  if [ -z "$need" ]; then
    echo "bootstrap: package.json has no engines.node of the form \">=X.Y\"" >&2
    return 1
  fi
  if ! command -v node >/dev/null 2>&1; then
    echo "bootstrap: Node.js $need or newer is needed and no node was found on PATH." >&2
    echo "bootstrap: install Node.js $need or newer (for example Node 20 LTS from https://nodejs.org or your" \
      "distribution's nodejs package), then run this script again." >&2
    return 1
  fi
  have="$(node --version 2>/dev/null || true)"
  if ! version_at_least "$have" "$need"; then
    echo "bootstrap: this workspace needs Node.js $need or newer (package.json engines.node), but node is ${have:-unknown}" \
      "($(command -v node))." >&2
    echo "bootstrap: install Node.js $need or newer (for example the latest Node 20 LTS from https://nodejs.org," \
      "or with nvm: nvm install 20), make it the node on PATH, then run this script again." >&2
    return 1
  fi
}

check_node
if [ "${1:-}" = "--check-node" ]; then
  echo "bootstrap: node $(node --version) satisfies engines.node >=$(required_node)"
  exit 0
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION"
  npm install --global --no-audit --no-fund "pnpm@$PNPM_VERSION" >/dev/null
fi

# Debian packages for the tests: the package lists are fetched once, by the first package this machine lacks.
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq >/dev/null && apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ "${1:-}" = "--browser" ]; then
  # A CJK font, so the zh-CN pages render in screenshots (best effort: the tests do not depend on glyphs).
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 && command -v fc-list >/dev/null 2>&1 \
    && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
    echo "bootstrap: installing a CJK font (fonts-wqy-microhei)"
    apt_install fonts-wqy-microhei 2>/dev/null \
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
    apt_install chromium fonts-wqy-microhei
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
      apt_install postgresql
    else
      echo "bootstrap: PostgreSQL 15 or newer is needed for the tests: sudo apt-get install -y postgresql" \
        "(or set PG_BIN_DIR to the folder holding initdb and pg_ctl)" >&2
      exit 1
    fi
  fi
  # nginx, for the end-to-end test that runs the shop behind a TLS reverse proxy (e2e/src/proxy/).
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] && [ -z "${NGINX_PATH:-}" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "bootstrap: installing Debian's nginx for the end-to-end test behind a TLS proxy"
      apt_install nginx-light openssl
    else
      echo "bootstrap: nginx is needed for the tests: sudo apt-get install -y nginx-light" \
        "(or set NGINX_PATH to its binary)" >&2
      exit 1
    fi
  fi
fi

pnpm install --frozen-lockfile
