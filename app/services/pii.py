"""Maintenance of encrypted personal data: re-encryption after a key was added."""

from sqlalchemy import select

from app.crypto import vault
from app.extensions import db
from app.models import DisputeCase, Employer, Incident, Rating, Worker

# Every column that holds Fernet ciphertext.
CIPHER_COLUMNS = ((Worker, ("id_cipher", "phone_cipher")), (Employer, ("phone_cipher",)),
                  (Rating, ("phone_cipher",)),
                  (DisputeCase, ("applicant_phone_cipher", "applicant_id_cipher",
                                 "other_party_phone_cipher")),
                  (Incident, ("involved_cipher",)))


def reencrypt_all(batch: int = 500) -> int:
    """Encrypt every stored value again with the newest key; commits per batch."""
    pii, count = vault(), 0
    for model, columns in CIPHER_COLUMNS:
        last_id = 0
        while rows := db.session.scalars(
            select(model).where(model.id > last_id).order_by(model.id).limit(batch)
        ).all():
            for row in rows:
                for column in columns:
                    if value := getattr(row, column):
                        setattr(row, column, pii.rotate(value))
                        count += 1
            last_id = rows[-1].id
            db.session.commit()
    return count
