"""Security headers on every response; a strict Content-Security-Policy on HTML.

Only same-origin scripts and styles run. The one page with inline script is
flask-smorest's Swagger UI page (/api/docs): there the policy allows exactly the
hashes of that page's own inline scripts, never 'unsafe-inline'.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def init(app: Flask) -> None:
    prefix = (app.config.get("OPENAPI_URL_PREFIX") or "").rstrip("/")
    ui_path = app.config.get("OPENAPI_SWAGGER_UI_PATH")
    docs_path = f"{prefix}/{ui_path.lstrip('/')}" if ui_path else None

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            policy = dict(CSP)
            if docs_path and request.path == docs_path:
                policy["script-src"] += "".join(f" {h}" for h in inline_script_hashes(response))
            response.headers["Content-Security-Policy"] = "; ".join(
                f"{name} {value}" for name, value in policy.items()
            )
            response.headers.setdefault("X-Frame-Options", "DENY")
            if not response.cache_control.public:
                response.cache_control.no_store = True  # pages may show personal data
        return response


def inline_script_hashes(response: Response) -> list[str]:
    if response.direct_passthrough or response.is_streamed:
        return []
    body = response.get_data(as_text=True)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in INLINE_SCRIPT.findall(body)
    ]
