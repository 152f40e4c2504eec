"""JOBTRAIL_SMTP_URL is read once into Settings.smtp_url; empty or unset means no e-mail."""

from types import SimpleNamespace

from services.kernel.settings import Settings, new_cipher_key
from services.quality.satisfaction import mail

KEYS = {"SECRET_KEY": "s", "JOBTRAIL_CIPHER_KEY": new_cipher_key()}
URL = "smtps://kwaliteit:geheim@mail.example.nl:465?from=kwaliteit@org.nl"


def test_the_smtp_url_comes_from_the_environment_once():
    assert Settings.from_env(KEYS).smtp_url is None
    assert Settings.from_env({**KEYS, "JOBTRAIL_SMTP_URL": ""}).smtp_url is None
    settings = Settings.from_env({**KEYS, "JOBTRAIL_SMTP_URL": URL})
    assert settings.smtp_url == URL
    assert mail.smtp_url(SimpleNamespace(settings=settings)) == URL
