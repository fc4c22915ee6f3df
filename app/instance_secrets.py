"""The instance secrets in ``instance/secrets.json``: created once, explicitly, then only read.

``create`` is run by ``make db`` (and so by ``make run``) before anything else, as
``.venv/bin/linggong-secrets create``. It creates the file with an exclusive create
(the complete file is hard-linked into place, so a reader never sees half of it and two
racing creators end up with the same keys). ``create_app`` only reads the file and stops
with a clear message when it is missing: a web worker never generates keys of its own.

The encryption keys of personal data are a list, newest first (``MultiFernet``): add a key
with ``.venv/bin/linggong-secrets add-pii-key``, then re-encrypt the stored values with
``flask --app wsgi reencrypt-pii``; the old key can be removed after that. Losing the file
means losing every encrypted ID and phone number, so the README tells the operator to back
it up, and to keep that backup apart from the database backups.
"""

import json
import os
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

SECRET_NAMES = ("SECRET_KEY", "PII_ENCRYPTION_KEYS", "PII_HASH_KEY")
FILE_NAME = "secrets.json"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class MissingSecrets(RuntimeError):
    def __init__(self, path: Path):
        super().__init__(
            f"{path} is missing or incomplete. Create it once with `make db` "
            f"(or `.venv/bin/linggong-secrets create`) and back it up apart from the "
            f"database: without it the encrypted ID and phone numbers cannot be read."
        )


def instance_path() -> str:
    """The instance folder: LINGGONG_INSTANCE_PATH, else ``instance/`` beside ``app/``."""
    return os.environ.get("LINGGONG_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))


def _generate() -> dict:
    return {
        "SECRET_KEY": secrets.token_hex(32),
        "PII_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
        "PII_HASH_KEY": secrets.token_hex(32),
    }


def _write_private(path: Path, data: dict) -> Path:
    """Write ``data`` to a fresh private (0600) file beside ``path``; return its name."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def create(folder: str) -> bool:
    """Create the secrets file unless it exists. True if this call created it."""
    path = Path(folder) / FILE_NAME
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        return False
    tmp = _write_private(path, _generate())
    try:
        os.link(tmp, path)  # exclusive: fails if another process created it first
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def load(folder: str) -> dict:
    """Read the secrets; ``MissingSecrets`` when the file is missing or incomplete."""
    path = Path(folder) / FILE_NAME
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise MissingSecrets(path) from None
    if isinstance(data.get("PII_ENCRYPTION_KEY"), str):  # written by the first releases
        data.setdefault("PII_ENCRYPTION_KEYS", [data.pop("PII_ENCRYPTION_KEY")])
    if not all(data.get(name) for name in SECRET_NAMES):
        raise MissingSecrets(path)
    return data


def add_pii_key(folder: str) -> None:
    """Put a new encryption key first; the older ones still decrypt until re-encrypted."""
    path = Path(folder) / FILE_NAME
    data = load(folder)
    data["PII_ENCRYPTION_KEYS"] = [Fernet.generate_key().decode(), *data["PII_ENCRYPTION_KEYS"]]
    data.pop("PII_ENCRYPTION_KEY", None)
    os.replace(_write_private(path, data), path)


def main(argv: list[str]) -> int:
    folder = instance_path()
    if argv == ["create"]:
        made = create(folder)
        print(f"{'created' if made else 'kept the existing'} {Path(folder) / FILE_NAME}")
        return 0
    if argv == ["add-pii-key"]:
        add_pii_key(folder)
        print("added a new PII encryption key; now run `flask --app wsgi reencrypt-pii`")
        return 0
    print("usage: linggong-secrets create|add-pii-key", file=sys.stderr)
    return 2


def cli() -> None:
    sys.exit(main(sys.argv[1:]))
