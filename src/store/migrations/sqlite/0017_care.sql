-- Issue 16: care programmes (送温暖) on one double-entry ledger. Money is integer fen everywhere.

-- The beneficiary categories the issue names that the first dictionary lacked, for databases
-- initialised before this migration (a fresh database gets them from `init`).
INSERT INTO dictionary_entries (kind, code, name, name_en, sort_order, active)
SELECT 'beneficiary_category', v.code, v.name, v.name_en, v.sort_order, 1
FROM (SELECT 'model_worker' AS code, '劳动模范' AS name, 'Model workers' AS name_en,
             900 AS sort_order
      UNION ALL SELECT 'craftsman', '工匠', 'Craftsmen', 910
      UNION ALL SELECT 'holiday_duty', '节日坚守岗位职工', 'Workers on duty over the holidays', 920
     ) v
WHERE EXISTS (SELECT 1 FROM organisations)
  AND NOT EXISTS (SELECT 1 FROM dictionary_entries d
                  WHERE d.kind = 'beneficiary_category' AND d.code = v.code);

-- A programme: its owner holds the budget once it opens. `kinds` is the aid it gives, a comma
-- list of cash, goods, voucher, subsidy.
CREATE TABLE care_programmes (
  id                    INTEGER PRIMARY KEY,
  owner_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  title                 TEXT NOT NULL,
  start_date            TEXT NOT NULL,
  end_date              TEXT NOT NULL,
  budget_fen            INTEGER NOT NULL CHECK (budget_fen > 0),
  kinds                 TEXT NOT NULL,
  description           TEXT NOT NULL DEFAULT '',
  state                 TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
  version               INTEGER NOT NULL DEFAULT 0,
  created_by            INTEGER REFERENCES accounts (id),
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX care_programmes_owner ON care_programmes (owner_organisation_id);

CREATE TABLE care_programme_categories (
  programme_id INTEGER NOT NULL REFERENCES care_programmes (id) ON DELETE CASCADE,
  ordinal      INTEGER NOT NULL,
  category     TEXT NOT NULL,
  PRIMARY KEY (programme_id, ordinal)
);

-- A person helped. The resident ID number and the phone are stored encrypted with a key kept
-- outside the database (serve --secrets); id_hash is a keyed hash of the ID number, so the same
-- person is found again without decrypting; the masks are what lists show.
CREATE TABLE care_beneficiaries (
  id              INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  name            TEXT NOT NULL,
  id_hash         TEXT NOT NULL UNIQUE,
  id_cipher       TEXT NOT NULL,
  id_mask         TEXT NOT NULL,
  phone_cipher    TEXT NOT NULL DEFAULT '',
  phone_mask      TEXT NOT NULL DEFAULT '',
  employer        TEXT NOT NULL DEFAULT '',
  category        TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);

-- The ledger. An account is the budget's source, an organisation's holding, or what an
-- organisation has paid out, each within one programme; balance_fen is kept in the same
-- transaction as the entries and must always equal their sum (ledger verify checks).
CREATE TABLE ledger_accounts (
  id              INTEGER PRIMARY KEY,
  programme_id    INTEGER NOT NULL REFERENCES care_programmes (id),
  kind            TEXT NOT NULL CHECK (kind IN ('budget', 'holding', 'paid')),
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  balance_fen     INTEGER NOT NULL DEFAULT 0,
  UNIQUE (programme_id, kind, organisation_id)
);

-- One movement of money: its entries sum to zero. Nothing here is ever updated or deleted; a
-- correction is a new movement that reverses an earlier one.
CREATE TABLE ledger_movements (
  id           INTEGER PRIMARY KEY,
  programme_id INTEGER NOT NULL REFERENCES care_programmes (id),
  kind         TEXT NOT NULL
               CHECK (kind IN ('budget', 'allocation', 'take_back', 'disbursement', 'subsidy')),
  at           INTEGER NOT NULL,
  account_id   INTEGER REFERENCES accounts (id),
  note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_movements_programme ON ledger_movements (programme_id, id);

CREATE TABLE ledger_entries (
  id          INTEGER PRIMARY KEY,
  movement_id INTEGER NOT NULL REFERENCES ledger_movements (id),
  account_id  INTEGER NOT NULL REFERENCES ledger_accounts (id),
  amount_fen  INTEGER NOT NULL CHECK (amount_fen <> 0)
);
CREATE INDEX ledger_entries_movement ON ledger_entries (movement_id);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);

-- Money passed down the tree (allocation) or taken back up (take_back), from one organisation
-- to its direct child or back.
CREATE TABLE care_allocations (
  id                   INTEGER PRIMARY KEY,
  programme_id         INTEGER NOT NULL REFERENCES care_programmes (id),
  kind                 TEXT NOT NULL CHECK (kind IN ('allocation', 'take_back')),
  from_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  to_organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
  amount_fen           INTEGER NOT NULL CHECK (amount_fen > 0),
  note                 TEXT NOT NULL DEFAULT '',
  movement_id          INTEGER NOT NULL UNIQUE REFERENCES ledger_movements (id),
  created_by           INTEGER REFERENCES accounts (id),
  created_at           INTEGER NOT NULL
);
CREATE INDEX care_allocations_programme ON care_allocations (programme_id, id);

-- 走访慰问 of a person (beneficiary_id) or a subsidy to a unit (unit_name, 文号, bank details).
CREATE TABLE care_disbursements (
  id               INTEGER PRIMARY KEY,
  programme_id     INTEGER NOT NULL REFERENCES care_programmes (id),
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
  beneficiary_kind TEXT NOT NULL CHECK (beneficiary_kind IN ('person', 'unit')),
  beneficiary_id   INTEGER REFERENCES care_beneficiaries (id),
  category         TEXT NOT NULL DEFAULT '',
  unit_name        TEXT NOT NULL DEFAULT '',
  document_no      TEXT NOT NULL DEFAULT '',
  bank_name        TEXT NOT NULL DEFAULT '',
  bank_account     TEXT NOT NULL DEFAULT '',
  amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
  aid_kind         TEXT NOT NULL CHECK (aid_kind IN ('cash', 'goods', 'voucher', 'subsidy')),
  date             TEXT NOT NULL,
  officials        TEXT NOT NULL DEFAULT '',
  note             TEXT NOT NULL DEFAULT '',
  duplicate_reason TEXT NOT NULL DEFAULT '',
  movement_id      INTEGER NOT NULL UNIQUE REFERENCES ledger_movements (id),
  created_by       INTEGER REFERENCES accounts (id),
  created_at       INTEGER NOT NULL,
  CHECK ((beneficiary_kind = 'person') = (beneficiary_id IS NOT NULL))
);
CREATE INDEX care_disbursements_programme ON care_disbursements (programme_id, id);
CREATE INDEX care_disbursements_beneficiary ON care_disbursements (beneficiary_id, programme_id);
CREATE INDEX care_disbursements_organisation ON care_disbursements (organisation_id, id);

-- Append-only, as the audit log: the store refuses to change or remove what was booked.
CREATE TRIGGER ledger_movements_no_update BEFORE UPDATE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_movements_no_delete BEFORE DELETE ON ledger_movements
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER care_allocations_no_update BEFORE UPDATE ON care_allocations
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER care_allocations_no_delete BEFORE DELETE ON care_allocations
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER care_disbursements_no_update BEFORE UPDATE ON care_disbursements
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER care_disbursements_no_delete BEFORE DELETE ON care_disbursements
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
