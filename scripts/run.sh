#!/usr/bin/env bash
# `make run`: migrate, import units, load demo data, start a Celery worker with beat and the
# web server. Safe to run again: every step is idempotent. Embedded defaults unless
# DATABASE_URL / CELERY_BROKER_URL are set.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=${DEBUG:-1}
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

$PY manage.py migrate --noinput
$PY manage.py import_admin_units
$PY manage.py seed_demo

# Without a server broker there is no fanout: mingle, gossip and heartbeats are off. Beat
# reads its schedule from the database (django-celery-beat: reminder sweep, digests, outbox).
.venv/bin/celery -A dialogue worker --beat --loglevel=INFO --concurrency=2 \
  --without-mingle --without-gossip --without-heartbeat >var/log/celery.log 2>&1 &
celery_pid=$!
trap 'kill $celery_pid 2>/dev/null || true' EXIT INT TERM

$PY manage.py seed_demo --print-logins --base-url "http://$HOST:$PORT/"
echo "Celery worker + beat: pid $celery_pid, log var/log/celery.log"
$PY manage.py runserver "$HOST:$PORT"
