#!/usr/bin/env bash
# Prints nginx/nginx.conf for one listen address and the given chat nodes:
#   scripts/nginx-conf.sh LISTEN NODE...     e.g. scripts/nginx-conf.sh 8000 127.0.0.1:6000 127.0.0.1:6002
# The open-file numbers are lowered to this machine's hard limit (ulimit -Hn) when it is smaller:
# without privileges nginx cannot raise it, and would log "setrlimit(RLIMIT_NOFILE, 200000) failed"
# at every start. NGINX_WORKERS, when set, replaces worker_processes. Used by scripts/cluster.sh
# and by the tests (TestNginx).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: $0 LISTEN NODE..." >&2
  exit 2
fi
listen=$1
shift
servers=""
for node in "$@"; do servers+="        server $node max_fails=3 fail_timeout=10s;\n"; done
awk -v listen="$listen" -v servers="$servers" -v hard="$(ulimit -Hn)" -v workers="${NGINX_WORKERS:-}" '
  /^worker_processes / && workers != "" { print "worker_processes " workers ";"; next }
  /^worker_rlimit_nofile [0-9]+;/ {
    rlimit = $2 + 0
    if (hard != "unlimited" && hard + 0 < rlimit) rlimit = hard + 0
    print "worker_rlimit_nofile " rlimit ";"; next
  }
  # each proxied connection holds two descriptors, the client and the node
  /^ *worker_connections [0-9]+;/ && rlimit {
    connections = $2 + 0
    if (connections > int(rlimit / 2)) connections = int(rlimit / 2)
    sub(/[0-9]+;/, connections ";"); print; next
  }
  /^ *server [^ ]+ max_fails/ { if (!done) { printf "%s", servers; done = 1 } next }
  /^ *listen [0-9]+;/ { sub(/[0-9]+;/, listen ";"); print; next }
  { print }' nginx/nginx.conf
