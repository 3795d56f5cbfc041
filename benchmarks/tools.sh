#!/usr/bin/env bash
# What `make bench` measures the feed server with and against: wrk (the load generator), nginx (serving the
# static export) and PostgreSQL's server programs, from the distribution's packages, installed when missing.
# No service is started: the benchmark runs nginx and a throwaway PostgreSQL cluster itself, on loopback.
set -euo pipefail
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v initdb >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if ((${#need[@]} == 0)); then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
if [ ! -e /usr/sbin/policy-rc.d ]; then
    # Debian starts a server package's service on install; policy-rc.d says "not now" for this install.
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
