-- xj:foreign-keys-off
-- Issue 16 point 5: electronic consumption vouchers (电子消费券) on the care ledger, and
-- corrections by reversing movements. The runner applies this file with foreign keys off (the
-- marker above) because SQLite can widen a CHECK or a UNIQUE constraint only by rebuilding the
-- table, and other tables point at the ledger's; it runs PRAGMA foreign_key_check before commit.

-- Ledger accounts gain two kinds: a voucher batch (ref_id = the batch) and a merchant (ref_id =
-- the merchant), several of each per organisation and programme.
CREATE TABLE ledger_accounts_0018 (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES care_programmes (id),
  kind            TEXT NOT NULL
                  CHECK (kind IN ('budget', 'holding', 'paid', 'voucher_batch', 'merchant')),
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  balance_fen     INTEGER NOT NULL DEFAULT 0,
  ref_id          INTEGER NOT NULL DEFAULT 0,
  UNIQUE (programme_id, kind, organisation_id, ref_id)
);
INSERT INTO ledger_accounts_0018 (id, programme_id, kind, organisation_id, balance_fen, ref_id)
  SELECT id, programme_id, kind, organisation_id, balance_fen, 0 FROM ledger_accounts;
DROP TABLE ledger_accounts;
ALTER TABLE ledger_accounts_0018 RENAME TO ledger_accounts;

-- Movements gain the voucher kinds and the reversal of an earlier movement (reverses_id, at
-- most one reversal per movement).
CREATE TABLE ledger_movements_0018 (
  id           INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES care_programmes (id),
  kind         TEXT NOT NULL
               CHECK (kind IN ('budget', 'allocation', 'take_back', 'disbursement', 'subsidy',
                               'voucher_batch', 'redemption', 'voucher_expiry', 'reversal')),
  at           INTEGER NOT NULL,
  account_id   INTEGER REFERENCES accounts (id),
  note         TEXT NOT NULL DEFAULT '',
  reverses_id  INTEGER UNIQUE REFERENCES ledger_movements (id),
  CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);
INSERT INTO ledger_movements_0018 (id, programme_id, kind, at, account_id, note)
  SELECT id, programme_id, kind, at, account_id, note FROM ledger_movements;
DROP TABLE ledger_movements;
ALTER TABLE ledger_movements_0018 RENAME TO ledger_movements;
CREATE INDEX ledger_movements_programme ON ledger_movements (programme_id, id);
CREATE TRIGGER ledger_movements_no_update BEFORE UPDATE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_movements_no_delete BEFORE DELETE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- A shop that accepts vouchers, in an organisation's subtree.
CREATE TABLE care_merchants (
  id              INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  name            TEXT NOT NULL,
  credit_code     TEXT NOT NULL DEFAULT '',
  contact         TEXT NOT NULL DEFAULT '',
  created_by      INTEGER REFERENCES accounts (id),
  created_at      INTEGER NOT NULL
);
CREATE INDEX care_merchants_organisation ON care_merchants (organisation_id);

-- A merchant's staff: each account of role merchant works for one merchant.
CREATE TABLE care_merchant_accounts (
  account_id  INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  merchant_id INTEGER NOT NULL REFERENCES care_merchants (id)
);

-- A batch: count × face value moved from the organisation's holding to the batch's account
-- when the batch is created (movement_id, set in the transaction that creates the batch, after
-- the batch's ledger account exists); expiry returns what was not redeemed.
CREATE TABLE care_voucher_batches (
  id                 INTEGER PRIMARY KEY,
  programme_id       INTEGER NOT NULL REFERENCES care_programmes (id),
  organisation_id    INTEGER NOT NULL REFERENCES organisations (id),
  title              TEXT NOT NULL,
  face_value_fen     INTEGER NOT NULL CHECK (face_value_fen > 0),
  count              INTEGER NOT NULL CHECK (count > 0),
  valid_from         TEXT NOT NULL,
  valid_to           TEXT NOT NULL,
  state              TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'expired')),
  movement_id        INTEGER UNIQUE REFERENCES ledger_movements (id),
  expiry_movement_id INTEGER UNIQUE REFERENCES ledger_movements (id),
  created_by         INTEGER REFERENCES accounts (id),
  created_at         INTEGER NOT NULL,
  expired_at         INTEGER
);
CREATE INDEX care_voucher_batches_programme ON care_voucher_batches (programme_id, id);

CREATE TABLE care_voucher_batch_merchants (
  batch_id    INTEGER NOT NULL REFERENCES care_voucher_batches (id),
  merchant_id INTEGER NOT NULL REFERENCES care_merchants (id),
  PRIMARY KEY (batch_id, merchant_id)
);

-- One voucher per beneficiary and batch. The code is a bearer secret: the database keeps its
-- keyed hash (to find it) and its ciphertext under the vault's key (to show it again to the
-- organiser), never the code itself; code_tail is its last four characters, for lists.
CREATE TABLE care_vouchers (
  id             INTEGER PRIMARY KEY,
  batch_id       INTEGER NOT NULL REFERENCES care_voucher_batches (id),
  beneficiary_id INTEGER NOT NULL REFERENCES care_beneficiaries (id),
  code_hash      TEXT NOT NULL UNIQUE,
  code_cipher    TEXT NOT NULL,
  code_tail      TEXT NOT NULL,
  state          TEXT NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'redeemed', 'expired')),
  issued_by      INTEGER REFERENCES accounts (id),
  issued_at      INTEGER NOT NULL,
  UNIQUE (batch_id, beneficiary_id)
);

-- At most one redemption per voucher (UNIQUE), and one per request key (a retry with the same
-- key is answered from here).
CREATE TABLE care_voucher_redemptions (
  id          INTEGER PRIMARY KEY,
  voucher_id  INTEGER NOT NULL UNIQUE REFERENCES care_vouchers (id),
  merchant_id INTEGER NOT NULL REFERENCES care_merchants (id),
  account_id  INTEGER REFERENCES accounts (id),
  request_key TEXT NOT NULL UNIQUE,
  movement_id INTEGER NOT NULL UNIQUE REFERENCES ledger_movements (id),
  at          INTEGER NOT NULL
);
CREATE INDEX care_voucher_redemptions_merchant ON care_voucher_redemptions (merchant_id, id);
CREATE TRIGGER care_voucher_redemptions_no_update BEFORE UPDATE ON care_voucher_redemptions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER care_voucher_redemptions_no_delete BEFORE DELETE ON care_voucher_redemptions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
