"""Personal numbers at rest (core/crypto.py): sealed values open only with their key and
column, are randomised, name their key for rotation; lookups are keyed and stable."""

import base64
import hashlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from core import crypto


def key(label: str) -> str:
    """A test key (the same in every test process: pytest-xdist collects in each)."""
    return base64.b64encode(hashlib.sha256(label.encode()).digest()).decode()


OLD, NEW, LOOKUP, OTHER_LOOKUP = key("old"), key("new"), key("lookup"), key("other lookup")


def test_a_sealed_number_opens_only_with_its_column_and_is_never_the_same_twice():
    token = crypto.seal("620422197005170031", column="person.id_number")
    assert "620422197005170031" not in token and "0031" not in token
    assert crypto.unseal(token, column="person.id_number") == "620422197005170031"
    assert crypto.seal("620422197005170031", column="person.id_number") != token
    with pytest.raises(crypto.SealError):
        crypto.unseal(token, column="audit.personal_number")
    middle = len(token) // 2  # a character that carries 6 bits of the ciphertext
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    with pytest.raises(crypto.SealError):
        crypto.unseal(tampered, column="person.id_number")
    assert crypto.seal("", column="x") is None and crypto.unseal(None, column="x") is None


def test_lookups_are_stable_keyed_and_per_column():
    a = crypto.lookup("620422197005170031", column="person.id_number")
    assert a == crypto.lookup("620422197005170031", column="person.id_number")
    assert len(a) == crypto.HASH_LENGTH and a != crypto.lookup("620422197005170032",
                                                               column="person.id_number")
    assert a != crypto.lookup("620422197005170031", column="other")
    with override_settings(CANLIAN_LOOKUP_KEY=OTHER_LOOKUP):
        assert crypto.lookup("620422197005170031", column="person.id_number") != a
    assert crypto.lookup_int("620422197005170031", column="person.id_number") == int(a, 16)


def test_an_old_key_behind_the_current_one_still_opens_what_it_sealed():
    with override_settings(CANLIAN_FIELD_KEYS=f"1:{OLD}", CANLIAN_LOOKUP_KEY=LOOKUP):
        old_token = crypto.seal("620422197005170031", column="c")
        assert crypto.is_current(old_token)
    with override_settings(CANLIAN_FIELD_KEYS=f"2:{NEW},1:{OLD}", CANLIAN_LOOKUP_KEY=LOOKUP):
        assert crypto.current_key_id() == "2"
        assert not crypto.is_current(old_token)
        assert crypto.unseal(old_token, column="c") == "620422197005170031"
        assert crypto.seal("x", column="c").startswith("2$")
    with override_settings(CANLIAN_FIELD_KEYS=f"2:{NEW}", CANLIAN_LOOKUP_KEY=LOOKUP):
        with pytest.raises(crypto.SealError, match="no key '1'"):
            crypto.unseal(old_token, column="c")


@pytest.mark.parametrize(("ring", "lookup", "message"), [
    ("", LOOKUP, "holds no key"),
    (f"1{OLD}", LOOKUP, "each key is an id"),
    ("1:not-base64!", LOOKUP, "base64"),
    ("1:" + base64.b64encode(b"short").decode(), LOOKUP, "must be 32 bytes"),
    (f"1:{OLD},1:{NEW}", LOOKUP, "appears twice"),
    (f"1:{OLD}", OLD, "must differ"),
], ids=["empty", "no id", "not base64", "short", "twice", "lookup same as field key"])
def test_malformed_keys_are_refused_with_the_reason(ring, lookup, message):
    with override_settings(CANLIAN_FIELD_KEYS=ring, CANLIAN_LOOKUP_KEY=lookup):
        with pytest.raises(ImproperlyConfigured, match=message):
            crypto.check_keys()


def test_nonces_are_never_taken_twice_across_a_pool_threads_and_a_fork():
    """Nonces come from a pool refilled from os.urandom; a refill, another thread and a
    forked process (an import's reader) each draw their own."""
    import multiprocessing
    import threading

    taken = [crypto._nonce() for _ in range(crypto.NONCE_POOL * 2 + 3)]  # two refills
    assert all(len(n) == crypto.NONCE_BYTES for n in taken)
    others = []
    thread = threading.Thread(target=lambda: others.extend(crypto._nonce() for _ in range(50)))
    thread.start()
    thread.join()
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=lambda: sender.send([crypto._nonce() for _ in range(50)]))
    child.start()
    forked = receiver.recv()
    child.join()
    after = [crypto._nonce() for _ in range(50)]
    every = taken + others + forked + after
    assert len(set(every)) == len(every)
