"""Passwords (argon2) and the one-time codes people are given: activation codes they may type,
and invitation tokens for relatives. Only hashes are stored."""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Crockford's base32: no I, L, O or U, so a code read out or typed by hand is hard to get wrong.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 16  # 80 bits
_TYPO_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _hasher() -> PasswordHasher:
    # Tests use argon2's cheapest profile so that hundreds of logins stay fast.
    profile = profiles.CHEAPEST if current_app.config.get("PASSWORD_HASH_CHEAP") else profiles.RFC_9106_LOW_MEMORY
    return PasswordHasher.from_parameters(profile)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Always does the work of one verification, so a wrong username takes as long as a wrong
    password."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: dict[str, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = repr(hasher)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(secrets.token_hex(16))
    return _DUMMY[key]


def new_code() -> str:
    """An activation code, grouped in fours: 'K7QX-94MB-T2RD-8WPH'."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, _CODE_LENGTH, 4))


def normalise_code(typed: str) -> str:
    """What a person typed, as the code it was meant to be: case, spaces, dashes and the letters
    that look like digits do not matter."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_TYPO_FIXES)
    return "-".join(cleaned[i:i + 4] for i in range(0, len(cleaned), 4))


def new_token() -> str:
    """A long random token for a link (relatives' invitations)."""
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
