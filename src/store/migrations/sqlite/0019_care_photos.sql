-- Photos of a visit (走访慰问, issue 16): the same files as the sessions' photos, one copy under
-- the data folder by SHA-256, named here by the disbursement they show. Kept as the payment is:
-- nothing here is edited; a photo goes with nothing.

CREATE TABLE care_photos (
  id              INTEGER PRIMARY KEY,
  disbursement_id INTEGER NOT NULL REFERENCES care_disbursements (id),
  sha256          TEXT NOT NULL,
  content_type    TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  bytes           INTEGER NOT NULL,
  created_by      INTEGER REFERENCES accounts (id),
  created_at      INTEGER NOT NULL
);
CREATE INDEX care_photos_disbursement ON care_photos (disbursement_id, id);
CREATE INDEX care_photos_sha ON care_photos (sha256);
