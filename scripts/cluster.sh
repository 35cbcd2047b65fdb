#!/usr/bin/env bash
# A local cluster: N chat nodes (ports 6000, 6002, …) on MariaDB + Redis, nginx on 8000 in front.
#   scripts/cluster.sh up [N]   build if needed, start services, nodes and nginx
#   scripts/cluster.sh status   what runs, and who answers on 8000
#   scripts/cluster.sh down     stop nginx and the nodes (SIGTERM: clean stop)
# Logs and pids live in run/. Environment: CHAT_* variables pass through to the nodes.
# Node i (0, 1, …) serves /metrics and /health on 9100 + i; its chat port takes only connections
# from nginx (conf/config.json sets "proxyProtocol": true, nginx sends the header).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="$PWD/run"
JAR=target/chat-fat.jar
cmd=${1:-status}
count=${2:-2}

ports() { for i in $(seq 0 $((count - 1))); do echo $((6000 + 2 * i)); done; }

nginx_conf() { # the shipped config with one upstream line per node
  local servers=""
  for p in $(ports); do servers+="        server 127.0.0.1:$p max_fails=3 fail_timeout=10s;\n"; done
  awk -v servers="$servers" '
    /server 127\.0\.0\.1:[0-9]+ max_fails/ { if (!done) { printf "%s", servers; done = 1 } next }
    { print }' nginx/nginx.conf > "$RUN/nginx/nginx.conf"
}

up() {
  bash scripts/services.sh
  [ -f "$JAR" ] || mvn -B -q package -DskipTests
  mkdir -p "$RUN/nginx"
  local i=0 metrics
  for p in $(ports); do
    metrics=$((9100 + i)); i=$((i + 1))
    if [ -f "$RUN/node-$p.pid" ] && kill -0 "$(cat "$RUN/node-$p.pid")" 2>/dev/null; then
      echo "node $p already running"; continue
    fi
    CHAT_PORTS=$p CHAT_NODE_ID="node$p" CHAT_BROKER_TYPE=redis CHAT_METRICS_PORT=$metrics \
      nohup java -jar "$JAR" -conf conf/config.json > "$RUN/node-$p.log" 2>&1 &
    echo $! > "$RUN/node-$p.pid"
  done
  for p in $(ports); do
    for _ in $(seq 1 120); do grep -q "node started" "$RUN/node-$p.log" 2>/dev/null && break; sleep 0.5; done
    grep -q "node started" "$RUN/node-$p.log" || { echo "node $p did not start, see $RUN/node-$p.log"; exit 1; }
    echo "node $p up (metrics and health on $((9100 + ($p - 6000) / 2)))"
  done
  nginx_conf
  if [ -f "$RUN/nginx/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx/nginx.pid")" 2>/dev/null; then
    nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "pid nginx.pid; error_log error.log;" -s reload
  else
    nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "pid nginx.pid; error_log error.log;"
  fi
  echo "nginx on 8000 -> $(ports | tr '\n' ' ')"
}

down() {
  if [ -f "$RUN/nginx/nginx.pid" ]; then
    nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "pid nginx.pid; error_log error.log;" -s quit 2>/dev/null || true
    rm -f "$RUN/nginx/nginx.pid"
  fi
  for f in "$RUN"/node-*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    rm -f "$f"
  done
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
    pid=$(cat "$f"); name=$(basename "$f" .pid)
    if kill -0 "$pid" 2>/dev/null; then
      p=${name#node-}; metrics=$((9100 + (p - 6000) / 2))
      ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics/health/ready" 2>/dev/null || true)
      echo "$name: running (pid $pid), /health/ready on $metrics: ${ready:-no answer}"
    else
      echo "$name: dead"
    fi
  done
  if [ -f "$RUN/nginx/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx/nginx.pid")" 2>/dev/null; then
    echo "nginx: running on 8000"
    ping_port 8000
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
