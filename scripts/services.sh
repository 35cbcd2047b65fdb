#!/usr/bin/env bash
# Makes sure what the tests and the cluster need is on this machine and running: Java and Maven,
# MariaDB on 127.0.0.1:3306 (root, empty password), Redis on 127.0.0.1:6379 (and Debian's
# redis-server, whose binaries the tests also run as sentinels and cluster nodes), nginx with the stream
# module, and for the web client's browser tests Chromium with its WebDriver (/usr/bin/chromium,
# /usr/bin/chromedriver; SERVICES_BROWSER=no leaves them out, as scripts/cluster.sh does). Installs
# from Debian's packages what is missing (apt-get, through sudo when not root); starts what has
# stopped. Idempotent.
#
# The tests log in to MariaDB over TCP as root with an empty password. A fresh Debian MariaDB lets
# root in by unix socket only, so this script then allows root@localhost an empty password over TCP
# too (the socket login stays; Debian's MariaDB listens on 127.0.0.1 only). It does so without
# asking on a server it has just installed or that holds nothing but what an installation creates
# (CI's fresh machine). On a server with databases or users of its own it asks first at a terminal,
# and otherwise stops, unless ALLOW_MARIADB_ROOT_WITHOUT_PASSWORD=yes.
set -euo pipefail

log() { echo "[services] $*"; }
die() { echo "[services] $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root for: $* (run as root, or install sudo)"
  fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || die "missing: $* (this script installs with Debian's apt-get only: install them yourself)"
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# shellcheck source=scripts/wait-for.sh
. "$(dirname "$0")/wait-for.sh"

ensure_build_tools() {
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
  command -v mvn >/dev/null || apt_install maven
}

mariadb_tcp_ok() { mysql --protocol=tcp -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1'; }
mariadb_socket() { as_root mysql --protocol=socket -u root "$@"; }

# Nothing but what an installation creates: no databases and no users of anyone's.
mariadb_is_fresh() {
  local own
  own=$(mariadb_socket -N -e "SELECT
      (SELECT COUNT(*) FROM information_schema.schemata
        WHERE schema_name NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys', 'test'))
    + (SELECT COUNT(*) FROM mysql.user
        WHERE user NOT IN ('root', 'mysql', 'mariadb.sys', 'debian-sys-maint', ''))")
  [ "$own" = 0 ]
}

allow_root_over_tcp() {
  local why
  if [ "$1" = installed ] || mariadb_is_fresh; then
    why="a fresh server"
  elif [ "${ALLOW_MARIADB_ROOT_WITHOUT_PASSWORD:-}" = yes ]; then
    why="ALLOW_MARIADB_ROOT_WITHOUT_PASSWORD=yes"
  elif [ -t 0 ]; then
    echo "[services] This machine's MariaDB has databases or users of its own, and its root cannot log in"
    echo "[services] over TCP with an empty password, which the tests need."
    read -r -p "[services] Allow root@localhost an empty password over TCP (the socket login stays)? [y/N] " answer
    [[ $answer =~ ^[Yy] ]] || die "MariaDB left as it is; the tests cannot log in to it"
    why="you said yes"
  else
    die "MariaDB's root cannot log in over TCP with an empty password, and this server has databases or users of its own: not changing them without asking. Run scripts/services.sh at a terminal, or set ALLOW_MARIADB_ROOT_WITHOUT_PASSWORD=yes."
  fi
  log "allowing root@localhost an empty password over TCP ($why)"
  mariadb_socket -e \
    "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
}

ensure_mariadb() {
  if mariadb_tcp_ok >/dev/null 2>&1; then return 0; fi
  local installed=no
  if [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server mariadb-client
    installed=installed
  fi
  if ! as_root mysqladmin --protocol=socket -u root ping >/dev/null 2>&1; then
    log "starting MariaDB"
    as_root install -d -o mysql -g mysql /run/mysqld
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for "MariaDB" 30 as_root mysqladmin --protocol=socket -u root ping
  fi
  if ! mariadb_tcp_ok >/dev/null 2>&1; then
    allow_root_over_tcp "$installed"
  fi
  wait_for "MariaDB over TCP" 30 mariadb_tcp_ok
  mysql --protocol=tcp -h 127.0.0.1 -u root -e 'CREATE DATABASE IF NOT EXISTS test'
}

ensure_redis() {
  # the tests start private servers, sentinels (redis-server --sentinel) and clusters (redis-cli
  # --cluster create) from this package, even where another Redis answers on 6379
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return 0; fi
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_for "Redis" 30 sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
}

ensure_nginx() {
  if command -v nginx >/dev/null && [ -f /usr/lib/nginx/modules/ngx_stream_module.so ]; then return 0; fi
  apt_install nginx libnginx-mod-stream
}

# The web client's tests drive a real headless Chromium through chromedriver (Selenium), both from
# Debian's packages: the tests never download a browser or a driver.
ensure_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return 0; fi
  apt_install chromium chromium-driver
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
    || die "chromium and chromium-driver are installed but /usr/bin/chromium or /usr/bin/chromedriver is missing (on Ubuntu they are snaps: install a Chromium and its driver, and give their paths in CHROMIUM_PATH and CHROMEDRIVER_PATH)"
}

ensure_build_tools
ensure_mariadb
ensure_redis
ensure_nginx
if [ "${SERVICES_BROWSER:-yes}" = no ]; then
  log "MariaDB, Redis and nginx are ready"   # scripts/cluster.sh: no tests, no browser
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ] && [ -n "${CHROMEDRIVER_PATH:-}" ]; then
  log "browser tests use $CHROMIUM_PATH and $CHROMEDRIVER_PATH"
else
  ensure_browser
fi
log "MariaDB, Redis, nginx and Chromium are ready"
