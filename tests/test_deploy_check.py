"""`manage.py check --deploy` is clean with production values and refuses the dev key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_check(tmp_path, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full_env.update({"DEBUG": "0", "ALLOWED_HOSTS": "doithoai.example.vn", "DIALOGUE_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
    )


def test_production_values_pass(tmp_path):
    result = run_check(tmp_path, SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_key_is_refused(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode != 0
    assert "dialogue.E001" in result.stdout + result.stderr
