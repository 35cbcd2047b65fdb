#!/usr/bin/env bash
# Makes sure what the tests and the cluster need is on this machine and running: Java and Maven,
# MariaDB on 127.0.0.1:3306 (root, empty password), Redis on 127.0.0.1:6379, nginx with the stream
# module. Installs from Debian's packages what is missing; starts what has stopped. Idempotent.
set -euo pipefail

log() { echo "[services] $*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "[services] $what did not come up" >&2
  return 1
}

ensure_build_tools() {
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
}

mariadb_tcp_ok() { mysql --protocol=tcp -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1'; }

ensure_mariadb() {
  if mariadb_tcp_ok >/dev/null 2>&1; then return 0; fi
  [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
  if ! mysqladmin --protocol=socket -u root ping >/dev/null 2>&1; then
    log "starting MariaDB"
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for "MariaDB" mysqladmin --protocol=socket -u root ping
  fi
  if ! mariadb_tcp_ok >/dev/null 2>&1; then
    # a fresh Debian lets root in by unix socket only
    log "allowing root over TCP with an empty password"
    mysql --protocol=socket -u root -e \
      "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
  fi
  wait_for "MariaDB over TCP" mariadb_tcp_ok
  mysql --protocol=tcp -h 127.0.0.1 -u root -e 'CREATE DATABASE IF NOT EXISTS test'
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return 0; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for "Redis" sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
}

ensure_nginx() {
  if command -v nginx >/dev/null && [ -f /usr/lib/nginx/modules/ngx_stream_module.so ]; then return 0; fi
  apt_install nginx libnginx-mod-stream
}

ensure_build_tools
ensure_mariadb
ensure_redis
ensure_nginx
log "MariaDB, Redis and nginx are ready"
