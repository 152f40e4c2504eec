"""Crypto-shredding: a subject's sealed values become unreadable, nothing else changes."""

from uuid import uuid4

from services.kernel.personal_data import ERASED, is_sealed


def test_seal_open_shred(any_platform, any_orgs):
    org = any_orgs.create()
    keys = any_platform.subject_keys(org.id)
    anna, bram = uuid4(), uuid4()
    sealed_anna = keys.seal(anna, "Anna Canary-7f3a")
    sealed_bram = keys.seal(bram, "Bram Jansen")
    assert is_sealed(sealed_anna) and "Canary" not in str(sealed_anna)
    assert keys.open(sealed_anna) == "Anna Canary-7f3a"
    assert keys.shred(anna) is True
    assert keys.open(sealed_anna) == ERASED
    assert keys.open(sealed_bram) == "Bram Jansen"  # other subjects untouched
    assert keys.shred(anna) is False  # erasing twice is harmless
    assert keys.open(None) is None


def test_a_key_is_bound_to_its_subject(any_platform, any_orgs):
    org = any_orgs.create()
    keys = any_platform.subject_keys(org.id)
    anna, bram = uuid4(), uuid4()
    keys.seal(bram, "x")
    forged = {**keys.seal(anna, "Anna"), "kid": str(bram)}  # ciphertext moved to another subject
    import pytest
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        keys.open(forged)
