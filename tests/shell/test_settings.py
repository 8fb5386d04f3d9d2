"""Production settings pass Django's deployment checklist; misconfiguration fails loudly."""

import os
import subprocess
import sys

PROD_ENV = {
    "SAMKALK_ENV": "production",
    "SAMKALK_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "SAMKALK_ALLOWED_HOSTS": "samkalk.example.org",
    "DJANGO_SETTINGS_MODULE": "samkalk.config.settings",
}


def _django_admin(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "SAMKALK_ENV"} | env
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _django_admin("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SAMKALK_SECRET_KEY"}
    result = _django_admin("check", env=env)
    assert result.returncode != 0
    assert "SAMKALK_SECRET_KEY must be set in production" in result.stderr


def test_passwords_are_hashed_with_argon2(settings):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "axes" in settings.INSTALLED_APPS


def test_the_migrations_match_the_models(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits 1 when behind
