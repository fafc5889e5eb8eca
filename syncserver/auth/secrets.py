"""Password hashing (argon2id), password rules, and opaque tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import ValidationFailed

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str, *, email: str = "") -> None:
    """At least 10 characters with letters and digits, and not the e-mail address."""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"at least {MIN_PASSWORD} characters")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append("letters and digits")
    if email and email.split("@")[0].casefold() in password.casefold():
        problems.append("not your e-mail name")
    if problems:
        raise ValidationFailed(
            "the password needs " + ", ".join(problems),
            details={"errors": [{"loc": ["body", "password"], "msg": p} for p in problems]},
        )


def new_token() -> tuple[str, str]:
    """(token for the client, SHA-256 hex to store). The token itself is never stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
