"""Secrets that are generated into ``instance/secrets.json`` on first run.

They are never committed (``instance/`` is git-ignored) and never printed. Losing the
file means losing access to every encrypted ID and phone number, so the README tells the
operator to back it up together with the database.
"""

import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

SECRET_NAMES = ("SECRET_KEY", "PII_ENCRYPTION_KEY", "PII_HASH_KEY")


def _generate() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_hex(32),
        "PII_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PII_HASH_KEY": secrets.token_hex(32),
    }


def load_or_create(instance_path: str) -> dict[str, str]:
    """Read the instance secrets, creating the file (mode 0600) when it is missing."""
    path = Path(instance_path) / "secrets.json"
    if path.exists():
        data = json.loads(path.read_text())
        missing = [n for n in SECRET_NAMES if not data.get(n)]
        if not missing:
            return data
        data.update({n: v for n, v in _generate().items() if n in missing})
    else:
        data = _generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)
    return data
