"""Encryption at rest for personal data (ID and phone numbers).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``);
a keyed hash (HMAC-SHA256 with a separate key) is stored beside them as a blind index,
so that the same person can be found again without decrypting every row.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class PiiVault:
    """Encrypts with the first key; decrypts with any (key rotation, newest first)."""

    def __init__(self, encryption_keys: list[str], hash_key: str):
        self._fernet = MultiFernet([Fernet(key.encode()) for key in encryption_keys])
        self._hash_key = bytes.fromhex(hash_key) if _is_hex(hash_key) else hash_key.encode()

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except InvalidToken as exc:  # wrong key: the instance secrets were replaced
            raise RuntimeError("cannot decrypt personal data: wrong PII_ENCRYPTION_KEYS") from exc

    def rotate(self, token: str) -> str:
        """The same value encrypted with the newest key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def blind_index(self, kind: str, value: str) -> str:
        """Keyed hash of a normalised value; ``kind`` separates ID from phone hashes."""
        msg = f"{kind}:{value}".encode()
        return hmac.new(self._hash_key, msg, hashlib.sha256).hexdigest()


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return len(text) >= 32


def init_app(app) -> None:
    app.extensions["pii_vault"] = PiiVault(
        app.config["PII_ENCRYPTION_KEYS"], app.config["PII_HASH_KEY"]
    )


def vault() -> PiiVault:
    return current_app.extensions["pii_vault"]
