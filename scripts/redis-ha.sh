#!/usr/bin/env bash
# A local Redis with Sentinel or a local Redis Cluster, from Debian's redis-server, for the tests and
# for trying the broker's sentinel and cluster modes: private servers on free ports of 127.0.0.1,
# nothing saved to disk, fast failure detection (2 s, or REDIS_HA_TIMEOUT_MS; see docs/OPERATING.md
# for production values).
#   scripts/redis-ha.sh sentinel [DIR]   a master, its replica and three sentinels (master name mymaster)
#   scripts/redis-ha.sh cluster [DIR]    a Redis Cluster: three masters, a replica each
#   scripts/redis-ha.sh start DIR PORT   starts one server of the set again, as it was first started
#   scripts/redis-ha.sh down [DIR]       stops every server of the set and removes DIR
# DIR (default run/redis-sentinel or run/redis-cluster; `down` takes whichever exists) holds each
# server's log, pid, data directory and command line (PORT.log, PORT.pid, PORT/, PORT.cmd), `ports`
# ("data PORT" and "sentinel PORT" lines) and `env`, the settings that point chat nodes at the set:
#   env $(cat run/redis-cluster/env) scripts/cluster.sh up 3
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[redis-ha] $*" >&2; }
die() { echo "[redis-ha] $*" >&2; exit 1; }

command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
  || die "redis-server and redis-cli are missing (scripts/services.sh installs Debian's redis-server)"

# Sentinel's down-after-milliseconds and the cluster's node timeout: how soon a dead master is replaced
TIMEOUT_MS=${REDIS_HA_TIMEOUT_MS:-2000}
taken=" "

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below the kernel's ephemeral range, as the tests' own free ports, and none twice. A cluster node
# also listens on its port + 10000 (the cluster bus): cluster ports come from 20000-21999.
free_port() {
  local p span=${1:-12000}
  for _ in $(seq 1 1000); do
    p=$((20000 + RANDOM % span))
    if [[ $taken != *" $p "* ]] && ! in_use "$p" && { [ "$span" = 12000 ] || ! in_use $((p + 10000)); }; then
      taken+="$p "
      echo "$p"
      return
    fi
  done
  die "no free port between 20000 and 32000"
}

# shellcheck source=scripts/wait-for.sh
. scripts/wait-for.sh

pong() { [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ]; }

# Runs a server (or sentinel) from its saved command line and waits for its answer.
start() {
  local port=$1
  [ -f "$dir/$port.cmd" ] || die "no server $port in $dir"
  bash "$dir/$port.cmd"
  wait_for "server $port" 20 pong "$port"
}

# port, extra redis-server arguments...: saves the command line, then starts it.
server() {
  local port=$1; shift
  mkdir -p "$dir/$port"
  printf '%q ' redis-server "$@" --port "$port" --bind 127.0.0.1 --dir "$dir/$port" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/$port.pid" --logfile "$dir/$port.log" > "$dir/$port.cmd"
  echo "data $port" >> "$dir/ports"
  start "$port"
}

sentinel_field() { # sentinel port, field of SENTINEL MASTER mymaster
  redis-cli -p "$1" sentinel master mymaster 2>/dev/null | awk -v f="$2" 'prev == f { print; exit } { prev = $0 }'
}

sentinel_ready() { # knows the replica and the two other sentinels, so it can vote and fail over
  [ "$(sentinel_field "$1" num-slaves)" = 1 ] && [ "$(sentinel_field "$1" num-other-sentinels)" = 2 ]
}

replica_linked() { redis-cli -p "$1" info replication | grep -q '^master_link_status:up'; }

sentinel_set() {
  local master replica s sentinels=()
  master=$(free_port); replica=$(free_port)
  server "$master"
  server "$replica" --replicaof 127.0.0.1 "$master"
  wait_for "replica $replica" 20 replica_linked "$replica"
  for _ in 1 2 3; do
    s=$(free_port)
    mkdir -p "$dir/$s"
    # a sentinel rewrites its own configuration file: one each
    cat > "$dir/$s.conf" <<EOF
port $s
bind 127.0.0.1
dir $dir/$s
daemonize yes
pidfile $dir/$s.pid
logfile $dir/$s.log
sentinel monitor mymaster 127.0.0.1 $master 2
sentinel down-after-milliseconds mymaster $TIMEOUT_MS
sentinel failover-timeout mymaster 10000
sentinel parallel-syncs mymaster 1
EOF
    printf '%q ' redis-server "$dir/$s.conf" --sentinel > "$dir/$s.cmd"
    echo "sentinel $s" >> "$dir/ports"
    start "$s"
    sentinels+=("redis://127.0.0.1:$s")
  done
  for s in $(awk '$1 == "sentinel" { print $2 }' "$dir/ports"); do
    wait_for "sentinel $s" 20 sentinel_ready "$s"
  done
  local IFS=,
  printf 'CHAT_BROKER_TYPE=redis\nCHAT_BROKER_MODE=sentinel\nCHAT_BROKER_ENDPOINTS=%s\nCHAT_BROKER_MASTER_NAME=mymaster\n' \
    "${sentinels[*]}" > "$dir/env"
  log "master 127.0.0.1:$master, replica 127.0.0.1:$replica, sentinels ${sentinels[*]}"
}

cluster_ok() { redis-cli -p "$1" cluster info | grep -q '^cluster_state:ok'; }

cluster_set() {
  local p ports=() endpoints=()
  for _ in 1 2 3 4 5 6; do
    p=$(free_port 2000)
    # without full coverage required, the shards that still have a master keep serving while
    # another one fails over
    server "$p" --cluster-enabled yes --cluster-config-file "$dir/$p/nodes.conf" \
      --cluster-node-timeout "$TIMEOUT_MS" --cluster-require-full-coverage no
    ports+=("127.0.0.1:$p"); endpoints+=("redis://127.0.0.1:$p")
  done
  redis-cli --cluster create "${ports[@]}" --cluster-replicas 1 --cluster-yes > "$dir/create.log" 2>&1 \
    || die "redis-cli --cluster create failed: $dir/create.log"
  for p in "${ports[@]}"; do
    wait_for "cluster node $p" 20 cluster_ok "${p#*:}"
  done
  for p in "${ports[@]}"; do
    if redis-cli -p "${p#*:}" info replication | grep -q '^role:slave'; then
      wait_for "replica $p" 20 replica_linked "${p#*:}"
    fi
  done
  local IFS=,
  printf 'CHAT_BROKER_TYPE=redis\nCHAT_BROKER_MODE=cluster\nCHAT_BROKER_ENDPOINTS=%s\n' "${endpoints[*]}" > "$dir/env"
  log "Redis Cluster on ${ports[*]}"
}

down() {
  local f pid pids=()
  [ -f "$dir/ports" ] || die "no Redis set in $dir"
  # a server removes its pid file as it exits: read them all first
  for f in "$dir"/*.pid; do
    pid=$(cat "$f" 2>/dev/null) || continue
    pids+=("$pid")
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
  log "stopped; $dir removed"
}

cmd=${1:-}
case $cmd in
  sentinel | cluster)
    dir=$(realpath -m "${2:-run/redis-$cmd}")
    [ ! -f "$dir/ports" ] || die "$dir holds a running set already (scripts/redis-ha.sh down $dir)"
    mkdir -p "$dir"
    : > "$dir/ports"
    "${cmd}_set"
    cat "$dir/env"
    ;;
  start)
    dir=$(realpath -m "${2:?usage: scripts/redis-ha.sh start DIR PORT}")
    start "${3:?usage: scripts/redis-ha.sh start DIR PORT}"
    ;;
  down)
    if [ -n "${2:-}" ]; then
      dir=$(realpath -m "$2")
      down
    else
      for dir in "$PWD/run/redis-sentinel" "$PWD/run/redis-cluster"; do
        [ ! -f "$dir/ports" ] || down
      done
    fi
    ;;
  *)
    sed -n '2,13p' "$0" >&2
    exit 2
    ;;
esac
