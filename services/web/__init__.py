"""Server-rendered Dutch web pages (Jinja + vendored htmx)."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template

from services.kernel.settings import Settings


def register_web(app: Flask, settings: Settings) -> None:
    from services.web import auth

    app.register_blueprint(auth.bp)


def error_page(error: Any) -> Any:
    return render_template("error.html", error=error), error.code or 500
