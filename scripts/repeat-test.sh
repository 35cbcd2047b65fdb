#!/usr/bin/env bash
# Runs one test (class or Class#method) N times in a row while every core is kept busy, and stops at
# the first failure: a race test counts only when it passes many runs on a loaded machine.
#   scripts/repeat-test.sh 'AccountTest#messagesSentWhileTheRecipientLogsIn*' 50
set -euo pipefail
cd "$(dirname "$0")/.."
test=${1:?usage: scripts/repeat-test.sh TEST [RUNS]}
runs=${2:-50}
load=()
for _ in $(seq "$(nproc)"); do (while :; do :; done) & load+=($!); done
trap 'kill "${load[@]}" 2>/dev/null' EXIT
mvn -B -o -q test-compile
for i in $(seq "$runs"); do
  if ! mvn -B -o -q surefire:test -Dtest="$test" -DfailIfNoTests=false > "target/repeat-$i.log" 2>&1; then
    echo "run $i of $runs FAILED (load $(cut -d' ' -f1-3 /proc/loadavg)): target/repeat-$i.log"
    exit 1
  fi
  echo "run $i of $runs passed (load $(cut -d' ' -f1-3 /proc/loadavg))"
  rm -f "target/repeat-$i.log"
done
echo "$test: $runs of $runs passed in a row with every core busy"
