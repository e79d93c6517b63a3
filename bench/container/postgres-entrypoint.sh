#!/usr/bin/env bash
# Initialise the cluster on first start (database, owner and password from the environment), then run
# the server in the foreground on $PGPORT.
set -euo pipefail
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGPORT:=5432}"
password=${POSTGRES_PASSWORD:-}
if [[ -n "${POSTGRES_PASSWORD_FILE:-}" ]]; then password=$(<"$POSTGRES_PASSWORD_FILE"); fi
[[ -n "$password" ]] || { echo "POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE is required" >&2; exit 1; }
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  pwfile=$(mktemp)
  printf '%s' "$password" > "$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=trust >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -o "-p $PGPORT -c listen_addresses=127.0.0.1" -w start >/dev/null
  if [[ "$POSTGRES_DB" != postgres ]]; then createdb -p "$PGPORT" -U "$POSTGRES_USER" "$POSTGRES_DB"; fi
  pg_ctl -w stop >/dev/null
fi
exec postgres -p "$PGPORT" -c listen_addresses='*'
