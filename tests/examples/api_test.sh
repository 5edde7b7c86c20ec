#!/usr/bin/env bash
# tests/examples/api_test.sh CATALOG_API [WORK_DIR]
#
# The catalogue's HTTP API (examples/catalog/src/api.cpp) over real HTTP: starts
# CATALOG_API --create-all on port 0 against a fresh SQLite file or, with
# API_BACKEND=postgresql, a fresh database created with psql on the server at
# $STRATA_TEST_PG_URL (dropped at exit); reads the port from its first line
# ("listening on http://HOST:PORT"); sends requests with curl and checks the
# status codes and the JSON bodies (parsed with python3); stops it with SIGTERM
# and checks that it exits 0 (a sanitizer report would make it exit non-zero).
# Without a PostgreSQL server the PostgreSQL run exits 77 (skipped), or fails
# under CI=true.
set -euo pipefail

API=${1:?usage: api_test.sh CATALOG_API [WORK_DIR]}
[ -x "$API" ] || { echo "api FAILED: $API is not an executable" >&2; exit 1; }
WORK=${2:-$(mktemp -d)}
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
SERVER_PID=""
PG_DB=""

fail() {
  echo "api FAILED: $*" >&2
  if [ -f "$WORK/body" ]; then echo "last response ($STATUS): $(cat "$WORK/body")" >&2; fi
  if [ -f "$WORK/server.err" ]; then echo "server stderr (tail):" >&2; tail -n 20 "$WORK/server.err" >&2; fi
  exit 1
}
step() { echo "== $*"; }

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_DB" ]; then
    psql "$STRATA_TEST_PG_URL" -XAtq -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

BACKEND=${API_BACKEND:-sqlite}
if [ "$BACKEND" = postgresql ]; then
  if [ -z "${STRATA_TEST_PG_URL:-}" ]; then
    [ "${CI:-}" = true ] && fail "CI=true but no PostgreSQL server (STRATA_TEST_PG_URL is not set)"
    echo "no PostgreSQL server (STRATA_TEST_PG_URL is not set): skipped"
    exit 77
  fi
  PG_DB="api_$$_$RANDOM"
  psql "$STRATA_TEST_PG_URL" -XAtq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PG_DB" || fail "CREATE DATABASE"
  DB_URL="${STRATA_TEST_PG_URL%/*}/$PG_DB"
else
  DB_URL="sqlite:///$WORK/catalog.db"
fi

# --- helpers -----------------------------------------------------------------

STATUS=""
# req METHOD PATH [BODY]: sends the request; STATUS holds the status code and
# $WORK/body the response body. BODY is sent as is (JSON, or not).
req() {
  local method=$1 path=$2
  local args=(-sS -o "$WORK/body" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json')
  if [ $# -ge 3 ]; then args+=(--data-binary "$3"); fi
  STATUS=$(curl "${args[@]}" "$BASE$path") || fail "curl $method $path"
}
# expect CODE: the last response's status.
expect() { [ "$STATUS" = "$1" ] || fail "expected status $1, got $STATUS"; }
# check 'PYTHON EXPRESSION': true of b, the last response's parsed JSON body.
check() {
  python3 - "$WORK/body" "$1" <<'PY' || fail "check failed: $1"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    b = json.load(f)
if not eval(sys.argv[2], {"b": b}):
    sys.exit(1)
PY
}
# get 'PYTHON EXPRESSION': prints its value on b (e.g. an id).
get() {
  python3 - "$WORK/body" "$1" <<'PY' || fail "cannot read $1"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    b = json.load(f)
print(eval(sys.argv[2], {"b": b}))
PY
}

# --- start -------------------------------------------------------------------

step "start $API on port 0 ($BACKEND)"
"$API" --url "$DB_URL" --host 127.0.0.1 --port 0 --create-all >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 300); do  # 30 s: a sanitizer build starts slowly
  line=$(head -n 1 "$WORK/server.out" 2>/dev/null || true)
  if [[ $line =~ ^listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]]; then
    PORT=${BASH_REMATCH[1]}
    break
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited before listening"
  sleep 0.1
done
[ -n "$PORT" ] || fail "no 'listening on http://127.0.0.1:PORT' line within 30 s"
[ "$PORT" -gt 0 ] || fail "port $PORT"
BASE="http://127.0.0.1:$PORT"
echo "listening on port $PORT"

# --- benchmarks --------------------------------------------------------------

step "POST /api/benchmarks -> 201"
req POST /api/benchmarks '{"name": "MMLU", "category": "Knowledge", "url": "https://arxiv.org/abs/2009.03300"}'
expect 201
check 'b["name"] == "MMLU" and b["category"] == "Knowledge" and b["description"] is None'
check 'isinstance(b["id"], int) and b["id"] > 0 and b["created_at"]'
MMLU=$(get 'b["id"]')
req POST /api/benchmarks '{"name": "HumanEval", "category": "Coding"}'
expect 201
HUMANEVAL=$(get 'b["id"]')

step "GET /api/benchmarks/{id}, PATCH, duplicate name"
req GET "/api/benchmarks/$MMLU"
expect 200
check 'b["name"] == "MMLU" and "results" not in b'
req PATCH "/api/benchmarks/$HUMANEVAL" '{"description": "164 hand-written Python problems"}'
expect 200
check 'b["description"] == "164 hand-written Python problems" and b["category"] == "Coding"'
req POST /api/benchmarks '{"name": "MMLU"}'
expect 409
check '"benchmark" in b["detail"] and "name" in b["detail"]'
req GET /api/benchmarks
expect 200
check 'b["count"] == 2 and [x["name"] for x in b["data"]] == ["MMLU", "HumanEval"]'

# --- models ------------------------------------------------------------------

step "POST /api/models -> 201, with the seed's metadata_ document"
req POST /api/models '{"name": "GPT-4", "organization": "OpenAI", "release_date": "2023-03-14",
                       "license": "Proprietary", "metadata_": {"context_window": 8192, "modalities": ["text", "image"]}}'
expect 201
check 'b["name"] == "GPT-4" and b["organization"] == "OpenAI" and b["release_date"] == "2023-03-14"'
check 'b["metadata_"] == {"context_window": 8192, "modalities": ["text", "image"]}'
check 'b["created_at"] and b["updated_at"] and "benchmark_results" not in b'
GPT4=$(get 'b["id"]')
req POST /api/models '{"name": "Claude 3", "organization": "Anthropic"}'
expect 201
CLAUDE=$(get 'b["id"]')
req POST /api/models '{"name": "Llama 3", "organization": "Meta"}'
expect 201
LLAMA=$(get 'b["id"]')

step "duplicate name -> 409"
req POST /api/models '{"name": "GPT-4", "organization": "Someone else"}'
expect 409
check 'b == {"detail": "A model with this name already exists (unique: models.name)"}'

step "missing name -> 422 missing at [body, name]"
req POST /api/models '{"organization": "OpenAI"}'
expect 422
check 'len(b["detail"]) == 1'
check 'b["detail"][0]["loc"] == ["body", "name"] and b["detail"][0]["type"] == "missing"'
check 'b["detail"][0]["msg"] == "Field required" and b["detail"][0]["input"] == {"organization": "OpenAI"}'

step "empty name -> 422 string_too_short"
req POST /api/models '{"name": "", "organization": "OpenAI"}'
expect 422
check 'b["detail"][0]["type"] == "string_too_short" and b["detail"][0]["loc"] == ["body", "name"]'
check 'b["detail"][0]["ctx"] == {"min_length": 1} and b["detail"][0]["input"] == ""'
check 'b["detail"][0]["msg"] == "String should have at least 1 character"'

step "every error at once; wrong types -> 422"
req POST /api/models '{"name": 42, "organization": "", "release_date": "2023-13-01"}'
expect 422
check '[(e["loc"], e["type"]) for e in b["detail"]] == [(["body", "name"], "string_type"), (["body", "organization"], "string_too_short"), (["body", "release_date"], "date_parsing")]'

step "bad JSON -> 422 json_invalid; empty body -> 422 missing; not an object -> 422"
req POST /api/models '{"name": "GPT-5", '
expect 422
check 'b["detail"][0]["type"] == "json_invalid" and b["detail"][0]["loc"] == ["body"]'
req POST /api/models ''
expect 422
check 'b["detail"] == [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]'
req POST /api/models '[1, 2]'
expect 422
check 'b["detail"][0]["type"] == "model_type" and b["detail"][0]["loc"] == ["body"]'
req POST /api/models $'{"name": "\xff"}'  # not UTF-8: json_invalid, the input echoed with U+FFFD
expect 422
check 'b["detail"][0]["type"] == "json_invalid" and "\ufffd" in b["detail"][0]["input"]'

step "GET a missing model -> 404; a bad id -> 422; an unknown path -> 404"
req GET /api/models/999999
expect 404
check 'b == {"detail": "Model not found"}'
req GET /api/models/gpt-4
expect 422
check 'b["detail"][0]["loc"] == ["path", "model_id"] and b["detail"][0]["type"] == "int_parsing"'
req GET /api/nothing-here
expect 404
check 'b == {"detail": "Not Found"}'

step "list with skip / limit"
req GET /api/models
expect 200
check 'b["count"] == 3 and [m["name"] for m in b["data"]] == ["GPT-4", "Claude 3", "Llama 3"]'
req GET '/api/models?skip=1&limit=1'
expect 200
check 'b["count"] == 3 and [m["name"] for m in b["data"]] == ["Claude 3"]'
req GET '/api/models?skip=2'
expect 200
check '[m["name"] for m in b["data"]] == ["Llama 3"]'
req GET '/api/models?limit=0'
expect 200
check 'b["data"] == [] and b["count"] == 3'
req GET '/api/models?skip=ten'
expect 422
check 'b["detail"][0]["loc"] == ["query", "skip"] and b["detail"][0]["type"] == "int_parsing"'
req GET '/api/models?limit=-1'
expect 422
check 'b["detail"][0]["loc"] == ["query", "limit"] and b["detail"][0]["type"] == "greater_than_equal" and b["detail"][0]["input"] == "-1"'

step "PATCH changes only the sent fields"
req PATCH "/api/models/$GPT4" '{"description": "Large multimodal model"}'
expect 200
check 'b["description"] == "Large multimodal model" and b["name"] == "GPT-4" and b["license"] == "Proprietary"'
check 'b["release_date"] == "2023-03-14" and b["metadata_"]["context_window"] == 8192'
req GET "/api/models/$GPT4"
expect 200
check 'b["description"] == "Large multimodal model" and b["organization"] == "OpenAI"'
req PATCH "/api/models/$GPT4" '{"license": null}'
expect 200
check 'b["license"] is None and b["description"] == "Large multimodal model"'
req PATCH "/api/models/$GPT4" '{"name": null}'
expect 422
check 'b["detail"][0]["loc"] == ["body", "name"] and b["detail"][0]["type"] == "string_type"'
req PATCH "/api/models/$GPT4" '{"name": ""}'
expect 422
check 'b["detail"][0]["type"] == "string_too_short"'
req PATCH "/api/models/$CLAUDE" '{"name": "GPT-4"}'
expect 409
check '"name" in b["detail"]'
req PATCH /api/models/999999 '{"description": "x"}'
expect 404
check 'b == {"detail": "Model not found"}'

# --- results -----------------------------------------------------------------

step "POST /api/models/{id}/results -> 201"
req POST "/api/models/$GPT4/results" "{\"benchmark_id\": $MMLU, \"score\": 86.4, \"date_tested\": \"2024-03-01\", \"source\": \"OpenAI\"}"
expect 201
check 'b["score"] == 86.4 and b["date_tested"] == "2024-03-01" and b["model_id"] == '"$GPT4"
check 'b["benchmark"]["name"] == "MMLU"'
R1=$(get 'b["id"]')
req POST "/api/models/$GPT4/results" "{\"benchmark_id\": $HUMANEVAL, \"score\": \"67.0\"}"
expect 201
check 'b["score"] == 67.0 and b["date_tested"] is None'
req POST "/api/models/$CLAUDE/results" "{\"benchmark_id\": $MMLU, \"score\": 86.8, \"date_tested\": \"2024-03-04\"}"
expect 201

step "results: duplicate (uix_model_benchmark_date) -> 409, unknown benchmark -> 404, bad score -> 422"
req POST "/api/models/$GPT4/results" "{\"benchmark_id\": $MMLU, \"score\": 90, \"date_tested\": \"2024-03-01\"}"
expect 409
check '"uix_model_benchmark_date" in b["detail"]'
req POST "/api/models/$GPT4/results" '{"benchmark_id": 999999, "score": 1}'
expect 404
check 'b == {"detail": "Benchmark not found"}'
req POST /api/models/999999/results "{\"benchmark_id\": $MMLU, \"score\": 1}"
expect 404
check 'b == {"detail": "Model not found"}'
req POST "/api/models/$GPT4/results" "{\"benchmark_id\": $MMLU, \"score\": \"high\"}"
expect 422
check 'b["detail"][0]["loc"] == ["body", "score"] and b["detail"][0]["type"] == "float_parsing"'
req POST "/api/models/$GPT4/results" '{"score": 1}'
expect 422
check 'b["detail"][0]["loc"] == ["body", "benchmark_id"] and b["detail"][0]["type"] == "missing"'

step "GET the model: its results (with their benchmark), opinions and use cases nested"
req GET "/api/models/$GPT4"
expect 200
check 'sorted(r["score"] for r in b["benchmark_results"]) == [67.0, 86.4]'
check 'sorted(r["benchmark"]["name"] for r in b["benchmark_results"]) == ["HumanEval", "MMLU"]'
check 'all(r["model_id"] == b["id"] and "model" not in r for r in b["benchmark_results"])'
check 'b["opinions"] == [] and b["use_cases"] == []'
req GET "/api/models/$GPT4/results"
expect 200
check 'b["count"] == 2 and [r["id"] for r in b["data"]][0] == '"$R1"
req GET "/api/models/$GPT4/results?limit=1&skip=1"
expect 200
check 'b["count"] == 2 and len(b["data"]) == 1 and b["data"][0]["benchmark"]["name"] == "HumanEval"'
req GET "/api/models/$GPT4/results/$R1"
expect 200
check 'b["id"] == '"$R1"' and b["benchmark"]["name"] == "MMLU"'
req GET "/api/models/$CLAUDE/results/$R1"
expect 404
check 'b == {"detail": "Result not found"}'

step "concurrent requests (one Session each, on httplib's thread pool)"
pids=()
for i in $(seq 1 8); do
  curl -sS -o "$WORK/par_$i" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary "{\"benchmark_id\": $HUMANEVAL, \"score\": $i, \"date_tested\": \"2024-01-0$i\"}" \
    "$BASE/api/models/$LLAMA/results" >"$WORK/par_status_$i" &
  pids+=($!)
  curl -sS -o /dev/null -w '%{http_code}' "$BASE/api/models/$GPT4" >"$WORK/par_get_$i" &
  pids+=($!)
  curl -sS -o /dev/null -w '%{http_code}' -X PATCH -H 'Content-Type: application/json' \
    --data-binary "{\"description\": \"edit $i\"}" "$BASE/api/models/$LLAMA" >"$WORK/par_patch_$i" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent curl failed"; done
for i in $(seq 1 8); do
  [ "$(cat "$WORK/par_status_$i")" = 201 ] || fail "concurrent POST $i: $(cat "$WORK/par_status_$i") $(cat "$WORK/par_$i")"
  [ "$(cat "$WORK/par_get_$i")" = 200 ] || fail "concurrent GET $i: $(cat "$WORK/par_get_$i")"
  [ "$(cat "$WORK/par_patch_$i")" = 200 ] || fail "concurrent PATCH $i: $(cat "$WORK/par_patch_$i")"
done
req GET "/api/models/$LLAMA/results"
expect 200
check 'b["count"] == 8 and sorted(r["score"] for r in b["data"]) == [1, 2, 3, 4, 5, 6, 7, 8]'

step "DELETE a result -> 200, then 404"
req DELETE "/api/models/$CLAUDE/results/$(get 'b["data"][0]["id"]')"
expect 404  # a result of Llama 3 asked for under Claude 3
req GET "/api/models/$LLAMA/results?limit=1"
expect 200
LR=$(get 'b["data"][0]["id"]')
req DELETE "/api/models/$LLAMA/results/$LR"
expect 200
check 'b == {"message": "Result deleted successfully"}'
req GET "/api/models/$LLAMA/results/$LR"
expect 404

step "DELETE a model -> 200; its results are gone (cascade); then 404"
req DELETE "/api/models/$GPT4"
expect 200
check 'b == {"message": "Model deleted successfully"}'
req GET "/api/models/$GPT4"
expect 404
check 'b == {"detail": "Model not found"}'
req GET "/api/models/$GPT4/results"
expect 404
req GET "/api/models/$GPT4/results/$R1"
expect 404
req DELETE "/api/models/$GPT4"
expect 404
req GET /api/models
expect 200
check 'b["count"] == 2 and [m["name"] for m in b["data"]] == ["Claude 3", "Llama 3"]'
# The rows themselves, in the database: only Claude 3's and Llama 3's results are left.
if [ "$BACKEND" = postgresql ]; then
  left=$(psql "$DB_URL" -XAtq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM benchmark_results WHERE model_id = $GPT4")
  total=$(psql "$DB_URL" -XAtq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM benchmark_results")
elif command -v sqlite3 >/dev/null; then
  left=$(sqlite3 "$WORK/catalog.db" "SELECT count(*) FROM benchmark_results WHERE model_id = $GPT4")
  total=$(sqlite3 "$WORK/catalog.db" "SELECT count(*) FROM benchmark_results")
else
  left=0 total=8  # no sqlite3 CLI: the API's own answers above stand
fi
[ "$left" = 0 ] || fail "$left results of the deleted model are still in benchmark_results"
[ "$total" = 8 ] || fail "benchmark_results has $total rows, expected 8 (Claude 3: 1, Llama 3: 7)"

step "DELETE a benchmark -> 200; its results go too"
req DELETE "/api/benchmarks/$MMLU"
expect 200
check 'b == {"message": "Benchmark deleted successfully"}'
req GET "/api/models/$CLAUDE"
expect 200
check 'b["benchmark_results"] == []'
req GET "/api/benchmarks/$MMLU"
expect 404
check 'b == {"detail": "Benchmark not found"}'

# --- stop --------------------------------------------------------------------

step "SIGTERM -> exit 0"
kill -TERM "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=""
[ "$rc" = 0 ] || fail "the server exited with status $rc"
if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'ERROR: LeakSanitizer' "$WORK/server.err"; then
  fail "sanitizer report in the server's stderr"
fi
grep -q '"POST /api/models" 201' "$WORK/server.err" || fail "no access log line on stderr"
echo "api test passed ($BACKEND)"
