#!/usr/bin/env bash
# A local cluster: N chat nodes on MariaDB + Redis, nginx in front.
#   scripts/cluster.sh up [N]   build if needed, start services, N nodes (default 2) and nginx
#   scripts/cluster.sh status   what runs, and who answers on the nginx ports
#   scripts/cluster.sh down     stop nginx and the nodes (SIGTERM: clean stop)
# Ports, from the environment at `up` (status and down use what up used):
#   CLUSTER_NGINX_PORT    (8000)  where terminal clients connect
#   CLUSTER_WEB_PORT      (8080)  where browsers open the web client (http://localhost:8080/)
#   CLUSTER_NODE_PORT     (6000)  node i listens on CLUSTER_NODE_PORT + 2i, for nginx only (conf/config.json
#                                 sets "proxyProtocol": true and nginx sends the header)
#   CLUSTER_NODE_WEB_PORT (8100)  node i serves the web client and /ws on 127.0.0.1:CLUSTER_NODE_WEB_PORT + i, for nginx
#   CLUSTER_METRICS_PORT  (9100)  node i serves /metrics and /health on CLUSTER_METRICS_PORT + i
# (not CHAT_*: a node refuses CHAT_* variables that are not its settings, and this script sets the
# nodes' CHAT_PORTS, CHAT_WEB_PORT and CHAT_METRICS_PORT from these). `up` checks every port it needs
# before it starts anything, and a start that fails stops again what it started.
#   CLUSTER_RUN           (run/)  where logs and pids live (status and down need the same)
#   CLUSTER_NODE_COMMAND  (java -jar target/chat-fat.jar, built first if missing)  what runs a node,
#                                 e.g. with JVM options: "java -Xmx1g -jar target/chat-fat.jar"
# The nodes keep their data in MariaDB on 127.0.0.1:3306, database "chat", which the first node
# creates with its schema; CHAT_STORE_DATABASE picks another. Other CHAT_* variables pass through to the nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${CLUSTER_RUN:-$PWD/run}
JAR=target/chat-fat.jar
node_command=${CLUSTER_NODE_COMMAND:-java -jar $JAR}
cmd=${1:-status}
count=${2:-2}
nginx_port=${CLUSTER_NGINX_PORT:-8000}
web_port=${CLUSTER_WEB_PORT:-8080}
node_port=${CLUSTER_NODE_PORT:-6000}
node_web_port=${CLUSTER_NODE_WEB_PORT:-8100}
metrics_port=${CLUSTER_METRICS_PORT:-9100}

nginx_ctl() { nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "pid nginx.pid; error_log error.log;" "$@"; }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Something listens on the port already, on any address.
port_taken() {
  if command -v ss >/dev/null; then
    [ -n "$(ss -Hltn "sport = :$1")" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Every port `up` is about to use, as "port|variable|its value|what" lines on stdin: all free, or
# nothing is started.
check_ports() {
  local p variable value what problems="" moves=""
  while IFS='|' read -r p variable value what; do
    if [ "$p" -gt 65535 ]; then
      problems+="  $p ($what): beyond 65535"$'\n'
    elif port_taken "$p"; then
      problems+="  $p ($what): taken"$'\n'
    else
      continue
    fi
    [[ $moves == *"$variable="* ]] || moves+="$variable=$((value + 10000 <= 65000 ? value + 10000 : value - 10000)) "
  done
  [ -z "$problems" ] && return 0
  echo "cannot start the cluster: ports it needs are not free (nothing was started):"
  printf '%s' "$problems"
  echo "Stop what listens there (\`ss -ltnp\` shows who; a node started with \`java -jar $JAR\` takes 6000 and"
  echo "8080), or move the cluster's ports, e.g.: ${moves}scripts/cluster.sh up $count"
  exit 1
}

gone() { # pid: true once the process has exited, false if it still runs after 20 s
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.2
  done
  return 1
}

stop_node() { # pid file: SIGTERM, then wait for the clean stop
  local pid
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$1" "${1%.pid}.metrics"
}

started=()   # pid files of the nodes this `up` started

undo_start() {
  local f names=""
  for f in "${started[@]}"; do
    stop_node "$f"
    names+=" $(basename "$f" .pid)"
  done
  [ -z "$names" ] || echo "stopped what this start began:$names"
  exit 1
}

up() {
  local i p web metrics upstream=() web_upstream=()
  {
    if ! running "$RUN/nginx/nginx.pid"; then
      echo "$nginx_port|CLUSTER_NGINX_PORT|$nginx_port|nginx, for terminal clients: CLUSTER_NGINX_PORT"
      echo "$web_port|CLUSTER_WEB_PORT|$web_port|nginx, for browsers: CLUSTER_WEB_PORT"
    fi
    for i in $(seq 0 $((count - 1))); do
      p=$((node_port + 2 * i))
      running "$RUN/node-$p.pid" && continue
      echo "$p|CLUSTER_NODE_PORT|$node_port|node $i's chat port: CLUSTER_NODE_PORT + 2i"
      echo "$((node_web_port + i))|CLUSTER_NODE_WEB_PORT|$node_web_port|node $i's web port: CLUSTER_NODE_WEB_PORT + i"
      echo "$((metrics_port + i))|CLUSTER_METRICS_PORT|$metrics_port|node $i's metrics port: CLUSTER_METRICS_PORT + i"
    done
  } | check_ports
  SERVICES_BROWSER=no bash scripts/services.sh   # the browser is for the tests only
  [ -n "${CLUSTER_NODE_COMMAND:-}" ] || [ -f "$JAR" ] || mvn -B -q package -DskipTests
  mkdir -p "$RUN/nginx"
  echo "nodes keep their data in MariaDB 127.0.0.1:3306, database '${CHAT_STORE_DATABASE:-chat}' (created if missing)"
  for i in $(seq 0 $((count - 1))); do
    p=$((node_port + 2 * i)); web=$((node_web_port + i)); metrics=$((metrics_port + i))
    upstream+=("127.0.0.1:$p"); web_upstream+=("127.0.0.1:$web")
    if running "$RUN/node-$p.pid"; then
      echo "node $p already running"; continue
    fi
    # the web port on the loopback only: nginx is its one client (a node behind nginx believes the
    # client address in X-Forwarded-For, which anyone reaching the port directly could make up)
    # $node_command unquoted: its words, as typed
    CHAT_PORTS=$p CHAT_NODE_ID="node$p" CHAT_BROKER_TYPE=redis CHAT_METRICS_PORT=$metrics \
      CHAT_WEB_HOST=127.0.0.1 CHAT_WEB_PORT=$web \
      nohup $node_command -conf conf/config.json > "$RUN/node-$p.log" 2>&1 &
    echo $! > "$RUN/node-$p.pid"
    echo "$metrics" > "$RUN/node-$p.metrics"
    started+=("$RUN/node-$p.pid")
  done
  for i in $(seq 0 $((count - 1))); do
    p=$((node_port + 2 * i))
    for _ in $(seq 1 120); do
      grep -q "node started" "$RUN/node-$p.log" 2>/dev/null && break
      running "$RUN/node-$p.pid" || break
      sleep 0.5
    done
    if ! grep -q "node started" "$RUN/node-$p.log"; then
      echo "node $p did not start ($RUN/node-$p.log):"; tail -n 3 "$RUN/node-$p.log"
      echo "(this script sets the node's ports from CLUSTER_NODE_PORT, CLUSTER_NODE_WEB_PORT and CLUSTER_METRICS_PORT)"
      undo_start
    fi
    echo "node $p up (web client on $((node_web_port + i)), metrics and health on $(cat "$RUN/node-$p.metrics"))"
  done
  bash scripts/nginx-conf.sh "$nginx_port" "${upstream[@]}" --web "$web_port" "${web_upstream[@]}" > "$RUN/nginx/nginx.conf"
  echo "$nginx_port" > "$RUN/nginx/port"
  echo "$web_port" > "$RUN/nginx/web-port"
  if running "$RUN/nginx/nginx.pid"; then nginx_ctl -s reload || undo_start; else nginx_ctl || undo_start; fi
  echo "nginx on $nginx_port -> ${upstream[*]}"
  echo "nginx on $web_port -> ${web_upstream[*]}"
  echo "clients: java -jar $JAR client --port $nginx_port"
  echo "browsers: http://localhost:$web_port/"
}

down() {
  local nginx_pid=""
  if running "$RUN/nginx/nginx.pid"; then
    nginx_pid=$(cat "$RUN/nginx/nginx.pid")
    # no new clients; those it holds go as their nodes stop
    nginx_ctl -s quit 2>/dev/null || true
  fi
  for f in "$RUN"/node-*.pid; do
    [ -f "$f" ] || continue
    stop_node "$f"
  done
  if [ -n "$nginx_pid" ]; then
    # nginx removes its pid file as it exits (removed before, it logged "[alert] unlink() ... failed")
    gone "$nginx_pid" || { kill -TERM "$nginx_pid" 2>/dev/null; gone "$nginx_pid" || true; }
  fi
  # a pid file of an nginx that is gone already
  rm -f "$RUN/nginx/nginx.pid"
  echo "cluster down"
}

ping_port() { # one PING through a port, answered by whichever node nginx picked
  if exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null; then
    printf '{"msgid":20,"seq":"status"}\0' >&3
    timeout 3 head -n 1 <&3 || echo "port $1 does not answer"
    exec 3>&-
  else
    echo "port $1 refuses connections"
  fi
}

status() {
  for f in "$RUN"/node-*.pid; do
    [ -f "$f" ] || { echo "no nodes"; break; }
    name=$(basename "$f" .pid)
    if running "$f"; then
      metrics=$(cat "${f%.pid}.metrics" 2>/dev/null || echo "?")
      ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics/health/ready" 2>/dev/null || true)
      echo "$name: running (pid $(cat "$f")), /health/ready on $metrics: ${ready:-no answer}"
    else
      echo "$name: dead"
    fi
  done
  if running "$RUN/nginx/nginx.pid"; then
    local port; port=$(cat "$RUN/nginx/port")
    echo "nginx: running on $port"
    ping_port "$port"
    if [ -f "$RUN/nginx/web-port" ]; then
      port=$(cat "$RUN/nginx/web-port")
      echo "web client: http://localhost:$port/ answers $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null || echo "nothing")"
    fi
  else
    echo "nginx: not running"
  fi
}

case "$cmd" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up [N] | status | down" >&2; exit 2 ;;
esac
