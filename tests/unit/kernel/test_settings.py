import pytest

from services.kernel.settings import Settings, SettingsError, new_cipher_key


def test_from_env_reads_every_setting_once():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://u@db:5432/jt",
            "REDIS_URL": "redis://r:6379/0",
            "SECRET_KEY": "s",
            "JOBTRAIL_CIPHER_KEY": new_cipher_key(),
            "JOBTRAIL_POOL_SIZE": "3",
        }
    )
    assert settings.is_postgres and settings.redis_url == "redis://r:6379/0"
    assert settings.pool_size == 3


def test_embedded_store_is_the_default():
    settings = Settings.from_env({"SECRET_KEY": "s", "JOBTRAIL_CIPHER_KEY": new_cipher_key()})
    assert not settings.is_postgres and settings.redis_url is None


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "s", "JOBTRAIL_CIPHER_KEY": "dG9vc2hvcnQ="}, "16, 24 or 32"),
        ({"DATABASE_URL": "mysql://x", "SECRET_KEY": "s"}, "DATABASE_URL"),
    ],
)
def test_bad_configuration_is_refused_clearly(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
