#!/usr/bin/env bash
# Provision the real n8n application (and the Node.js it needs) into a cache folder outside the
# clone, so end-to-end tests can run this package the way a user's n8n would.
#
#   bash tools/provision/n8n.sh            # n8n 2.41.1 on Node 24 (from the npm registry)
#   N8N_VERSION=1.123.81 bash tools/provision/n8n.sh  # the tested n8n 1.x, on the system Node (20)
#
# Idempotent: a finished install has a marker file and is reused without touching the network.
# Output: the last lines are KEY=value pairs (N8N_DIR, N8N_NODE, N8N_BIN, N8N_WRAPPER), also
# written to $N8N_DIR/provision.env and $N8N_DIR/provision.json for scripts and tests.
#
# Options (environment):
#   N8N_VERSION          exact version or npm range (default 2.41.1; 2.41.3 lacks a dependency
#                        on the registry)
#   N8N_NODE_VERSION     Node.js version from the registry (node-linux-<arch> package), or
#                        "system" to use the node on PATH. Default: 24.x pin for n8n >= 2,
#                        system for n8n 1.x (which supports Node 20..24).
#   TGO_N8N_CACHE        cache root (default $HOME/.cache/n8n-nodes-tgo-business)
#   TGO_N8N_MIN_FREE_GB  free disk required before installing (default 6)
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
CACHE_ROOT="${TGO_N8N_CACHE:-$HOME/.cache/n8n-nodes-tgo-business}"
MIN_FREE_GB="${TGO_N8N_MIN_FREE_GB:-6}"
NODE24_PIN="24.21.0" # the Node 24 line n8n 2.x is built for; pinned so the cache key is stable

log() { printf '[provision %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# `npm run` exports the project's npm config as npm_config_* variables (ignore_scripts=true among
# them), which would silently turn `npm rebuild sqlite3` into a no-op. Start from a clean slate.
for v in $(env | sed -n 's/^\(npm_config_[^=]*\)=.*/\1/Ip'); do unset "$v"; done
unset NODE_OPTIONS

mkdir -p "$CACHE_ROOT"

# --- resolve the exact n8n version (the cache key) -----------------------------------------------
if [[ "$N8N_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
	n8n_exact="$N8N_VERSION" # exact: no registry call, so a provisioned machine works offline
else
	# A range such as 1.123.x: ask the registry for the highest match (`npm view` lists all).
	n8n_exact="$(cd "$CACHE_ROOT" && npm view "n8n@$N8N_VERSION" version --json 2>/dev/null |
		node -e 'let v=JSON.parse(require("fs").readFileSync(0,"utf8"));if(!Array.isArray(v))v=[v];
			const k=s=>s.split(".").map(Number);v.sort((a,b)=>{const x=k(a),y=k(b);return x[0]-y[0]||x[1]-y[1]||x[2]-y[2]});
			process.stdout.write(v.pop()||"")' 2>/dev/null)" || true
	[[ -n "$n8n_exact" ]] || die "could not resolve n8n@$N8N_VERSION from the npm registry (is it reachable? try: npm view n8n@$N8N_VERSION version)"
	log "n8n@$N8N_VERSION resolves to $n8n_exact"
fi
n8n_major="${n8n_exact%%.*}"

# --- choose the Node.js that runs n8n ------------------------------------------------------------
node_choice="${N8N_NODE_VERSION:-}"
if [[ -z "$node_choice" ]]; then
	if ((n8n_major >= 2)); then node_choice="$NODE24_PIN"; else node_choice="system"; fi
fi

DEST="$CACHE_ROOT/n8n-$n8n_exact"
if [[ "$node_choice" != "system" && "$node_choice" != "$NODE24_PIN" ]] || { [[ "$node_choice" == "system" ]] && ((n8n_major >= 2)); }; then
	DEST="$DEST-node-$node_choice" # non-default pairings get their own folder
fi
MARKER="$DEST/.provisioned"

print_paths() {
	# shellcheck disable=SC1091
	source "$DEST/provision.env"
	log "ready: n8n $N8N_VERSION_EXACT on Node $N8N_NODE_VERSION_EXACT"
	cat "$DEST/provision.env"
}

if [[ -f "$MARKER" ]]; then
	print_paths
	exit 0
fi

# One install at a time per destination (CI steps or parallel test workers may race here).
exec 9>"$DEST.lock"
if ! flock -n 9; then
	log "another provision of $DEST is running; waiting for it (up to 30 min)"
	flock -w 1800 9 || die "timed out waiting for the lock on $DEST.lock"
fi
if [[ -f "$MARKER" ]]; then # the other run finished it
	print_paths
	exit 0
fi

# --- disk check ----------------------------------------------------------------------------------
free_kb="$(df -Pk "$CACHE_ROOT" | awk 'NR==2 {print $4}')"
if ((free_kb < MIN_FREE_GB * 1024 * 1024)); then
	df -h "$CACHE_ROOT" >&2
	die "only $((free_kb / 1024 / 1024)) GB free under $CACHE_ROOT; installing n8n needs about 3 GB plus npm's cache: at least ${MIN_FREE_GB} GB required (set TGO_N8N_CACHE to a roomier disk)"
fi

WORK="$DEST.partial"
rm -rf "$WORK"
mkdir -p "$WORK/app" "$WORK/bin"
LOG="$WORK/install.log"
log "installing n8n@$n8n_exact into $DEST (log: $LOG)"
started=$(date +%s)

# Progress: one line every 30 s with the size so far, so CI logs show the install is alive.
(
	while sleep 30; do
		log "… $(($(date +%s) - started)) s, $(du -sh "$WORK" 2>/dev/null | cut -f1) so far"
	done
) &
progress_pid=$!
trap 'kill "$progress_pid" 2>/dev/null || true' EXIT

run_logged() { # run a step, keeping its output in the log; on failure show the tail
	local what="$1"
	shift
	log "$what"
	if ! "$@" >>"$LOG" 2>&1; then
		tail -n 30 "$LOG" >&2
		die "$what failed (full log: $LOG). If the npm registry is unreachable, retry when it is."
	fi
}

# --- Node.js -------------------------------------------------------------------------------------
if [[ "$node_choice" == "system" ]]; then
	NODE_BIN="$(command -v node)" || die "no node on PATH"
	NODE_HEADERS="$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")" # e.g. /usr, has include/node
	[[ -f "$NODE_HEADERS/include/node/node.h" ]] || NODE_HEADERS=""    # let node-gyp decide
else
	# The `node@24` package's preinstall only runs `npm install node-<platform>-<arch>@<version>`;
	# install that platform package directly (it ships bin/node and include/node, the headers).
	case "$(uname -m)" in
	x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) die "unsupported CPU $(uname -m)" ;;
	esac
	node_pkg="node-linux-$arch"
	node_dir="$WORK/node"
	mkdir -p "$node_dir"
	echo '{"private":true}' >"$node_dir/package.json"
	run_logged "installing Node.js $node_choice ($node_pkg from the npm registry)" \
		npm install --prefix "$node_dir" --no-save --ignore-scripts --no-audit --no-fund \
		"$node_pkg@$node_choice"
	NODE_BIN="$node_dir/node_modules/$node_pkg/bin/node"
	NODE_HEADERS="$node_dir/node_modules/$node_pkg"
	"$NODE_BIN" --version >/dev/null || die "the downloaded node binary does not run"
	# System npm, but with this node first on PATH: npm and node-gyp then build for it.
	export PATH="$(dirname "$NODE_BIN"):$PATH"
fi
[[ -n "$NODE_HEADERS" ]] && export npm_config_nodedir="$NODE_HEADERS"
node_exact="$("$NODE_BIN" --version)"
node_exact="${node_exact#v}"

# --- n8n -----------------------------------------------------------------------------------------
if ((n8n_major < 2)); then
	# n8n 1.x's n8n-nodes-base takes SheetJS (xlsx) as a tarball from the vendor's CDN, which is
	# not the npm registry. The same SheetJS release is republished there as @e965/xlsx (n8n 2.x
	# depends on that package itself), so point xlsx at it.
	echo '{"private":true,"overrides":{"xlsx":"npm:@e965/xlsx@0.20.2"}}' >"$WORK/app/package.json"
else
	echo '{"private":true}' >"$WORK/app/package.json"
fi
# Install scripts off: isolated-vm and friends need toolchains or downloads we don't have, and
# nothing n8n needs to start runs them. sqlite3 (the default database) is rebuilt just below.
run_logged "npm install n8n@$n8n_exact --ignore-scripts (a few minutes)" \
	npm install --prefix "$WORK/app" --ignore-scripts --no-audit --no-fund --loglevel=warn \
	"n8n@$n8n_exact"
# sqlite3's own install would fetch a prebuilt binary from outside the registry; build it from
# source against the chosen node's headers instead (the long step: ~4 min on 2 cores).
run_logged "npm rebuild sqlite3 from source (about 4 minutes)" \
	env npm_config_build_from_source=true \
	npm rebuild --prefix "$WORK/app" --ignore-scripts=false --foreground-scripts sqlite3
(cd "$WORK/app" && "$NODE_BIN" -e 'require("sqlite3")') >>"$LOG" 2>&1 ||
	die "sqlite3 does not load after the rebuild (see $LOG)"

N8N_JS="$DEST/app/node_modules/n8n/bin/n8n"
[[ -f "$WORK/app/node_modules/n8n/bin/n8n" ]] || die "n8n's bin is missing after install"

# Paths as they will be after the folder gets its final name (a system node stays where it is).
if [[ "$NODE_BIN" == "$WORK"/* ]]; then final_node="$DEST/${NODE_BIN#"$WORK"/}"; else final_node="$NODE_BIN"; fi
# A wrapper that runs n8n with the right node, whatever is first on PATH.
printf '#!/usr/bin/env bash\nexec "%s" "%s" "$@"\n' "$final_node" "$N8N_JS" >"$WORK/bin/n8n"
chmod +x "$WORK/bin/n8n"

cat >"$WORK/provision.env" <<EOF
N8N_DIR=$DEST
N8N_VERSION_EXACT=$n8n_exact
N8N_NODE=$final_node
N8N_NODE_VERSION_EXACT=$node_exact
N8N_BIN=$N8N_JS
N8N_WRAPPER=$DEST/bin/n8n
EOF
"$NODE_BIN" -e '
	const o = {};
	for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n")) {
		const i = l.indexOf("="); if (i > 0) o[l.slice(0, i)] = l.slice(i + 1);
	}
	require("fs").writeFileSync(process.argv[2], JSON.stringify(o, null, 2) + "\n");
' "$WORK/provision.env" "$WORK/provision.json"

# Publish atomically: the marker is written last, then the folder gets its final name.
elapsed=$(($(date +%s) - started))
echo "n8n@$n8n_exact node@$node_exact installed in ${elapsed}s on $(date -u +%FT%TZ)" >"$WORK/.provisioned"
rm -rf "$DEST"
mv "$WORK" "$DEST"
kill "$progress_pid" 2>/dev/null || true
log "done in $((elapsed / 60)) min $((elapsed % 60)) s; $(du -sh "$DEST" | cut -f1) in $DEST"
"$final_node" "$N8N_JS" --version >/dev/null 2>&1 || log "warning: 'n8n --version' did not run cleanly"
print_paths
