#!/bin/sh
# First start: a cluster whose superuser is POSTGRES_USER with POSTGRES_PASSWORD, and POSTGRES_DB.
# Every start: PostgreSQL as the postgres user, reachable from the stack's network with the password.
set -eu
data=/var/lib/postgresql/data
bin=/usr/lib/postgresql/15/bin
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
mkdir -p "$data" /run/postgresql
chown postgres:postgres "$data" /run/postgresql
chmod 700 "$data"
if [ ! -s "$data/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" > /run/postgresql/pwfile
  as_postgres "$bin/initdb" -D "$data" -U "$POSTGRES_USER" --pwfile=/run/postgresql/pwfile \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm /run/postgresql/pwfile
  echo 'host all all all scram-sha-256' >> "$data/pg_hba.conf"
  echo "CREATE DATABASE \"$POSTGRES_DB\"" | as_postgres "$bin/postgres" --single -D "$data" postgres >/dev/null
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$bin/postgres" -D "$data" -c listen_addresses='*'
