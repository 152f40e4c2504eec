"""What the web page tests share: the CSRF token pattern and a test client signed in
through the login form (so CSRF and the session cookie work as in a browser)."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


def signed_in(app: Any, user: Any, lang: str | None = None, password: str = PASSWORD) -> Any:
    """A test client signed in as `user` (a member, or an e-mail address); `lang` picks
    the language on the login page, which the session keeps."""
    email = user if isinstance(user, str) else user.email
    client = app.test_client()
    page = client.get("/login" + (f"?lang={lang}" if lang else "")).get_data(as_text=True)
    form = {"email": email, "password": password, "csrf_token": CSRF.search(page)[1]}
    response = client.post("/login", data=form)
    assert response.status_code == 302, (email, response.status_code)
    return client
