#!/usr/bin/env bash
# Install Redis and PostgreSQL from Debian's packages for the queue-mode tests (npm run test:queue).
# Only the programs are needed: the tests start their own servers on loopback with data in a temp
# folder (PostgreSQL as Debian's `postgres` service user) and stop them at the end. Debian's own
# services are left stopped, so nothing listens outside the tests.
# Idempotent: does nothing when redis-server, PostgreSQL's initdb and the postgres user exist.
set -euo pipefail

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && id -u postgres >/dev/null 2>&1; }
if command -v redis-server >/dev/null && have_postgres; then
	echo "queue services present: $(redis-server --version | cut -d' ' -f3), PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1)"
	exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi # CI and sessions run as root; a developer may not

export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101: the packages' postinst must not start Debian's own Redis/PostgreSQL services.
policy=/usr/sbin/policy-rc.d
created_policy=""
if [[ ! -e "$policy" ]]; then
	printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
	$SUDO chmod +x "$policy"
	created_policy=1
fi
cleanup() { if [[ -n "$created_policy" ]]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

$SUDO apt-get update -qq || { echo "apt-get update failed (are Debian's package mirrors reachable?)" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null ||
	{ echo "apt-get install redis-server postgresql failed" >&2; exit 1; }
have_postgres || { echo "PostgreSQL's initdb or the postgres user is missing after the install" >&2; exit 1; }
echo "queue services installed: $(redis-server --version | cut -d' ' -f3), PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1)"
