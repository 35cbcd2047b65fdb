#!/usr/bin/env bash
# The whole test suite, on any machine of the project, fresh or not: services first, then Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
mvn -B verify
