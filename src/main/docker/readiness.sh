#!/usr/bin/env bash
# The container's health check: readiness (the service is up and its database answers) on the
# configured port. bash's /dev/tcp keeps the image free of curl or wget. The status line decides
# (200 ready, 503 not): the body names components too, and a component that is UP beside a database
# that is DOWN must not pass.
exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT:-8080}" || exit 1
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ $status == HTTP/1.[01]\ 200* ]]
