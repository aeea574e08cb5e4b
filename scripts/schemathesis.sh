#!/usr/bin/env bash
# Contract test: runs schemathesis (all phases, stateful included) against the
# real server on a fresh SQLite database. See docs/api.md, "Contract testing".
#
#   scripts/schemathesis.sh [extra schemathesis options, e.g. --max-examples 20]
#
# schemathesis is installed from PyPI into a venv outside the clone
# ($AI_AGENT_CACHE, default ~/.cache/ai-agent); the server binary is built
# with cargo (CARGO_TARGET_DIR is respected).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${AI_AGENT_CACHE:-$HOME/.cache/ai-agent}
venv=$cache/schemathesis-venv
version=4.32.5

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$version"; then
    echo "installing schemathesis $version into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==$version"
fi

cd "$root"
cargo build --quiet -p ai-agent-server
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/debug/ai-agent-server

data=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$data"
}
trap cleanup EXIT

# Health-check requests are answered (403) but no check runs: generated
# commands must never be spawned, and generated URLs never reached (the
# token is an admin's, whose servers may reach private addresses).
AI_AGENT_DATA_DIR=$data \
    AI_AGENT_HEALTH_STDIO=off \
    AI_AGENT_HEALTH_REMOTE=off \
    AI_AGENT_HEALTH_ALLOW_PRIVATE=false \
    AI_AGENT_HEALTH_TIMEOUT=5 \
    "$bin" serve --bind 127.0.0.1:0 >"$data/stdout" 2>"$data/stderr" &
server_pid=$!

url=
for _ in $(seq 1 200); do
    url=$(sed -n 's/^ai-agent-server listening on \(http:\/\/[^ ]*\).*/\1/p' "$data/stdout" | head -n 1)
    [[ -n $url && -s $data/admin-token ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/stderr" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "the server did not start" >&2; cat "$data/stderr" >&2; exit 1; }
token=$(tr -d '[:space:]' <"$data/admin-token")

echo "schemathesis against $url" >&2
status=0
# From the temporary directory, so that its cache (.schemathesis/, which holds
# requests with the token) goes away with the database. Reports asked for with
# --report are written under $SCHEMATHESIS_REPORT_DIR (default: ./schemathesis-report).
report_dir=${SCHEMATHESIS_REPORT_DIR:-$root/schemathesis-report}
cd "$data"
"$venv/bin/schemathesis" run "$url/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --phases examples,coverage,fuzzing,stateful \
    --request-timeout 30 \
    --exclude-checks positive_data_acceptance,negative_data_rejection,ensure_resource_availability \
    --report-dir "$report_dir" \
    "$@" || status=$?

if grep -q "panicked" "$data/stderr"; then
    echo "the server panicked:" >&2
    grep -A5 "panicked" "$data/stderr" >&2
    status=1
fi
exit "$status"
