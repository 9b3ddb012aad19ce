#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer before the tests,
# starting the local servers when they are installed but stopped. With DATABASE_URL or
# CELERY_BROKER_URL pointing elsewhere, that server is the caller's business and is left alone.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 30); do port_open "$1" && return 0; sleep 1; done; return 1; }
local_url() { [ -z "${1:-}" ] || [[ "$1" == *127.0.0.1* ]] || [[ "$1" == *localhost* ]]; }

if local_url "${DATABASE_URL:-}" && ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is stopped: starting it"
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    wait_port 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
  else
    cat >&2 <<MSG
PostgreSQL is not running on 127.0.0.1:5432 and is not installed here.
The tests need a real PostgreSQL: install it (apt-get install postgresql, trust auth for
127.0.0.1) or point DATABASE_URL at one, e.g. postgres://user:pw@host:5432/dialogue.
MSG
    exit 1
  fi
fi

if local_url "${CELERY_BROKER_URL:-}" && ! port_open 6379; then
  if command -v redis-server >/dev/null; then
    echo "Redis is stopped: starting it"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log ||
      redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    wait_port 6379 || { echo "Redis did not start on 127.0.0.1:6379" >&2; exit 1; }
  else
    cat >&2 <<MSG
Redis is not running on 127.0.0.1:6379 and is not installed here.
The tests need a real Redis: install it (apt-get install redis-server) or point
CELERY_BROKER_URL at one, e.g. redis://host:6379/15.
MSG
    exit 1
  fi
fi
exit 0
