#!/usr/bin/env bash
# Prints nginx/nginx.conf for the given chat nodes and, with --web, the nodes' web ports, for the nginx
# of this machine:
#   scripts/nginx-conf.sh LISTEN NODE... [--web WEB_LISTEN WEB_NODE...]
#   e.g. scripts/nginx-conf.sh 8000 127.0.0.1:6000 127.0.0.1:6002 --web 8080 127.0.0.1:8100 127.0.0.1:8101
# LISTEN / NODE: the TCP chat protocol (stream block); WEB_LISTEN / WEB_NODE: the web client's page
# and its WebSocket /ws (http block), left out without --web.
# The open-file numbers are lowered to this machine's hard limit (ulimit -Hn) when it is smaller:
# without privileges nginx cannot raise it, and would log "setrlimit(RLIMIT_NOFILE, 200000) failed"
# at every start. The stream module is loaded the way this nginx needs: Debian's has it as a module of
# its own (libnginx-mod-stream, `nginx -V` says --with-stream=dynamic), which the config must load;
# nginx.org's builds, the official nginx image's among them, have it built in (--with-stream), and
# loading it there fails ("dlopen() ... failed"). NGINX_WORKERS, when set, replaces worker_processes;
# NGINX_TEMPLATE, when set, is read instead of nginx/nginx.conf (the tests render docker/nginx.conf
# with it). Used by scripts/cluster.sh and by the tests (TestNginx).
set -euo pipefail
cd "$(dirname "$0")/.."
usage() {
  echo "usage: $0 LISTEN NODE... [--web WEB_LISTEN WEB_NODE...]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
listen=$1
shift
servers=""
while [ $# -gt 0 ] && [ "$1" != --web ]; do
  servers+="        server $1 max_fails=3 fail_timeout=10s;\n"
  shift
done
[ -n "$servers" ] || usage
template=${NGINX_TEMPLATE:-nginx/nginx.conf}
# without nginx (or with a failing one) nothing is loaded: starting it says what is wrong
version=$(nginx -V 2>&1 || true)
stream_module=""
if [[ $version == *--with-stream=dynamic* ]]; then
  modules=$(sed -n 's/.*--modules-path=\([^ ]*\).*/\1/p' <<< "$version")
  [ -n "$modules" ] || modules="$(sed -n 's/.*--prefix=\([^ ]*\).*/\1/p' <<< "$version")/modules"
  stream_module="$modules/ngx_stream_module.so"
fi
web_listen=""
web_servers=""
if [ $# -gt 0 ]; then
  shift
  [ $# -ge 2 ] || usage
  web_listen=$1
  shift
  for node in "$@"; do web_servers+="        server $node max_fails=3 fail_timeout=10s;\n"; done
fi
awk -v listen="$listen" -v servers="$servers" -v web_listen="$web_listen" -v web_servers="$web_servers" \
    -v hard="$(ulimit -Hn)" -v workers="${NGINX_WORKERS:-}" -v stream_module="$stream_module" '
  # before the first directive: the stream module as this nginx loads it (the template line is for one kind of nginx)
  !started && !/^#/ && !/^ *$/ { started = 1; if (stream_module != "") print "load_module " stream_module ";" }
  /^load_module [^;]*ngx_stream_module\.so;/ { next }
  /^stream \{/ { section = "stream" }
  /^http \{/ { section = "http" }
  # no web nodes: no http block
  section == "http" && web_listen == "" { if ($0 ~ /^}/) section = ""; next }
  /^}/ { section = "" }
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
  /^ *server [^ ]+ max_fails/ {
    if (!done[section]) { printf "%s", (section == "http" ? web_servers : servers); done[section] = 1 }
    next
  }
  /^ *listen [0-9]+;/ { sub(/[0-9]+;/, (section == "http" ? web_listen : listen) ";"); print; next }
  { print }' "$template"
