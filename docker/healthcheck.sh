#!/bin/bash
# HEALTHCHECK of the SkelStream images: GET /healthz on the app's own HTTP port and succeed on HTTP 200.
# Plain bash (/dev/tcp), so the runtime image needs neither curl nor wget, and no second JVM starts every
# interval just to ask whether the first one is alive.
# The port is the app's http.port: SKELSTREAM_HTTP_PORT if set, else 8080 (SkelStreamConfig's default).
set -u
port="${SKELSTREAM_HTTP_PORT:-8080}"
path="${1:-/healthz}"
# 3 s for connect + answer: /healthz is served by the JDK HTTP server without touching Kafka or the model.
exec timeout 3 bash -c '
  exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
  printf "GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" "$1" >&3
  IFS= read -r status <&3 || exit 1
  case "$status" in
    "HTTP/1."[01]" 200"*) exit 0 ;;
    *) echo "unhealthy: $status" >&2; exit 1 ;;
  esac
' "$port" "$path"
