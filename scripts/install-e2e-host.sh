#!/usr/bin/env bash
# Installs the end-to-end test host: code-server (a real VS Code, web workbench + Node extension
# host) from npm into the git-ignored .vscode-test/ folder, and Debian's chromium + ripgrep.
# Idempotent: a stamp file makes re-runs no-ops. Nothing is downloaded apart from npm and Debian packages.
#
#   bash scripts/install-e2e-host.sh            install when missing
#   FORCE=1 bash scripts/install-e2e-host.sh    reinstall code-server
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
HOST_DIR="$ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
STAMP="$HOST_DIR/.installed"
CS="$HOST_DIR/node_modules/code-server"

log() { echo "[install-e2e-host] $*"; }

# 1. System packages (only those missing).
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
    log "missing system packages: ${need[*]} (install them with apt-get as root)"; exit 1
  fi
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  log "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ -f "$STAMP" ] && [ -z "${FORCE:-}" ] && [ -f "$CS/out/node/entry.js" ]; then
  log "code-server $CODE_SERVER_VERSION already installed ($HOST_DIR)"
  exit 0
fi

start=$(date +%s)
log "installing code-server $CODE_SERVER_VERSION into $HOST_DIR"
rm -rf "$HOST_DIR"
mkdir -p "$HOST_DIR"
cd "$HOST_DIR"
echo '{"name":"e2e-host","private":true}' > package.json
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_yes=true
# code-server's own postinstall downloads things and refuses to run as root: skip scripts, rebuild what is needed.
npm install --no-save --ignore-scripts --no-package-lock "code-server@$CODE_SERVER_VERSION" >/dev/null
(cd "$HOST_DIR" && npm rebuild argon2 >/dev/null)

log "installing VS Code server dependencies"
(cd "$CS/lib/vscode" && npm install --omit=dev --ignore-scripts --no-package-lock >/dev/null)
# Native modules the server needs. node-pty (terminals only) is left out; kerberos needs libkrb5-dev.
(cd "$CS/lib/vscode" && npm rebuild @parcel/watcher @vscode/spdlog native-watchdog kerberos @vscode/deviceid >/dev/null) \
  || (cd "$CS/lib/vscode" && npm rebuild @parcel/watcher @vscode/spdlog native-watchdog @vscode/deviceid >/dev/null)
(cd "$CS/lib/vscode/extensions" && npm install --omit=dev --ignore-scripts --no-package-lock >/dev/null)

# ripgrep: use Debian's binary instead of @vscode/ripgrep's download.
RG_DIR="$CS/lib/vscode/node_modules/@vscode/ripgrep/bin"
mkdir -p "$RG_DIR"
ln -sf "$(command -v rg)" "$RG_DIR/rg"

date -u +%FT%TZ > "$STAMP"
log "done in $(( $(date +%s) - start )) s"
