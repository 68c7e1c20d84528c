# Sourced by bench/profile.sh and bench/statements.sh: builds (unless SKIP_BUILD=1), starts
# `thidua demo` (the release build in $CARGO_TARGET_DIR, else target/) in a scratch folder on
# 127.0.0.1:$PORT, waits until it is ready and logs in as the leader unit's officer
# (canbo.thads-ls). Sets TMP, SERVER, BASE, JAR and SESSION; stops the server and removes the
# folder on exit. Callers set NAME (for messages), PORT and SKIP_BUILD, and `cd` to the root.
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
BIN="$TARGET/release/thidua"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release >&2
fi
TMP="$(mktemp -d "/tmp/thidua-$NAME.XXXX")"
# The demo's PostgreSQL runs as the postgres user when we are root: it must enter the folder.
chmod 755 "$TMP"
SERVER=""
cleanup() {
    if [[ -n "$SERVER" ]] && kill -0 "$SERVER" 2>/dev/null; then
        kill -INT "$SERVER"
        for _ in $(seq 1 200); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
"$BIN" demo --data-dir "$TMP/pg" --bind "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { tail -n 20 "$TMP/server.log" >&2; exit 1; }
    sleep 0.1
done
JAR="$TMP/jar"
curl -sS -c "$JAR" -b "$JAR" -o /dev/null "$BASE/login"
TOK="$(awk '$6 == "thidua_csrf" {print $7}' "$JAR")"
curl -sS -c "$JAR" -b "$JAR" -o /dev/null --data-urlencode "csrf=$TOK" \
    --data-urlencode "username=canbo.thads-ls" --data-urlencode "password=thidua-demo-2024" \
    "$BASE/login"
SESSION="$(awk '$6 == "thidua_session" {print $7}' "$JAR")"
[[ -n "$SESSION" ]] || { echo "$NAME: login failed" >&2; exit 1; }
