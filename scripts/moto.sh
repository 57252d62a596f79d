#!/usr/bin/env bash
# The local AWS for tests and the demo: moto server, pinned, in a git-ignored venv.
#   scripts/moto.sh install        create .venv with moto[server] (idempotent)
#   scripts/moto.sh start DIR      start on a free loopback port; writes DIR/port, DIR/pid, DIR/url
#   scripts/moto.sh stop DIR       SIGTERM, then SIGKILL after 5 s
# The server is scripts/moto_server.py: moto's own, with two per-request
# scans computed once (same answers, a third less CPU a call) and SSM's
# parameter writes one at a time, so that a create is atomic as in SSM.
# XAPI_MOTO_STOCK=1 runs the unmodified `moto_server` instead (benchmarks).
set -euo pipefail
MOTO_VERSION=5.2.5
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"

install() {
  if [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    return 0
  fi
  echo "installing moto[server]==$MOTO_VERSION into .venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
}

free_port() {
  "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir=$1
  mkdir -p "$dir"
  install
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if [ -n "${XAPI_MOTO_STOCK:-}" ]; then
      "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    else
      "$venv/bin/python" "$root/scripts/moto_server.py" -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    fi
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null ||
        "$venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
        echo "$port" >"$dir/port"
        echo "http://127.0.0.1:$port" >"$dir/url"
        echo "moto listening on http://127.0.0.1:$port (pid $(cat "$dir/pid"))" >&2
        return 0
      fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    stop "$dir" || true
    echo "moto did not start on port $port (attempt $attempt); log:" >&2
    tail -5 "$dir/moto.log" >&2 || true
  done
  return 1
}

stop() {
  local dir=$1 pid
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?usage: moto.sh start DIR}" ;;
  stop) stop "${2:?usage: moto.sh stop DIR}" ;;
  *) echo "usage: scripts/moto.sh install|start DIR|stop DIR" >&2; exit 2 ;;
esac
