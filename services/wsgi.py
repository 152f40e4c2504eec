"""WSGI entry point for gunicorn: `gunicorn services.wsgi:app` (settings from the environment)."""

from services.app import create_app

app = create_app()
