from services.kernel.auth.passwords import hash_secret, verify_secret


def test_secrets_are_hashed_with_argon2id_and_verified():
    hashed = hash_secret("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_secret(hashed, "correct horse battery")
    assert not verify_secret(hashed, "wrong horse battery")
    assert not verify_secret("not a hash", "x")
    assert not verify_secret(None, "x")  # unknown account: same work, still False
