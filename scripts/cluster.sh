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
# (not CHAT_*: a node refuses CHAT_* variables that are not its settings). The nodes keep their data
# in MariaDB on 127.0.0.1:3306, database "chat", which the first node creates with its schema;
# CHAT_STORE_DATABASE picks another. Other CHAT_* variables pass through to the nodes.
# Logs and pids live in run/.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="$PWD/run"
JAR=target/chat-fat.jar
cmd=${1:-status}
count=${2:-2}
nginx_port=${CLUSTER_NGINX_PORT:-8000}
web_port=${CLUSTER_WEB_PORT:-8080}
node_port=${CLUSTER_NODE_PORT:-6000}
node_web_port=${CLUSTER_NODE_WEB_PORT:-8100}
metrics_port=${CLUSTER_METRICS_PORT:-9100}

nginx_ctl() { nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g "pid nginx.pid; error_log error.log;" "$@"; }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

up() {
  SERVICES_BROWSER=no bash scripts/services.sh   # the browser is for the tests only
  [ -f "$JAR" ] || mvn -B -q package -DskipTests
  mkdir -p "$RUN/nginx"
  echo "nodes keep their data in MariaDB 127.0.0.1:3306, database '${CHAT_STORE_DATABASE:-chat}' (created if missing)"
  local i p web metrics upstream=() web_upstream=()
  for i in $(seq 0 $((count - 1))); do
    p=$((node_port + 2 * i)); web=$((node_web_port + i)); metrics=$((metrics_port + i))
    upstream+=("127.0.0.1:$p"); web_upstream+=("127.0.0.1:$web")
    if running "$RUN/node-$p.pid"; then
      echo "node $p already running"; continue
    fi
    # the web port on the loopback only: nginx is its one client (a node behind nginx believes the
    # client address in X-Forwarded-For, which anyone reaching the port directly could make up)
    CHAT_PORTS=$p CHAT_NODE_ID="node$p" CHAT_BROKER_TYPE=redis CHAT_METRICS_PORT=$metrics \
      CHAT_WEB_HOST=127.0.0.1 CHAT_WEB_PORT=$web \
      nohup java -jar "$JAR" -conf conf/config.json > "$RUN/node-$p.log" 2>&1 &
    echo $! > "$RUN/node-$p.pid"
    echo "$metrics" > "$RUN/node-$p.metrics"
  done
  for i in $(seq 0 $((count - 1))); do
    p=$((node_port + 2 * i))
    for _ in $(seq 1 120); do
      grep -q "node started" "$RUN/node-$p.log" 2>/dev/null && break
      running "$RUN/node-$p.pid" || break
      sleep 0.5
    done
    if ! grep -q "node started" "$RUN/node-$p.log"; then
      echo "node $p did not start ($RUN/node-$p.log):"; tail -n 3 "$RUN/node-$p.log"; exit 1
    fi
    echo "node $p up (web client on $((node_web_port + i)), metrics and health on $(cat "$RUN/node-$p.metrics"))"
  done
  bash scripts/nginx-conf.sh "$nginx_port" "${upstream[@]}" --web "$web_port" "${web_upstream[@]}" > "$RUN/nginx/nginx.conf"
  echo "$nginx_port" > "$RUN/nginx/port"
  echo "$web_port" > "$RUN/nginx/web-port"
  if running "$RUN/nginx/nginx.pid"; then nginx_ctl -s reload; else nginx_ctl; fi
  echo "nginx on $nginx_port -> ${upstream[*]}"
  echo "nginx on $web_port -> ${web_upstream[*]}"
  echo "clients: java -jar $JAR client --port $nginx_port"
  echo "browsers: http://localhost:$web_port/"
}

down() {
  if [ -f "$RUN/nginx/nginx.pid" ]; then
    nginx_ctl -s quit 2>/dev/null || true
    rm -f "$RUN/nginx/nginx.pid"
  fi
  for f in "$RUN"/node-*.pid; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    rm -f "$f" "${f%.pid}.metrics"
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
