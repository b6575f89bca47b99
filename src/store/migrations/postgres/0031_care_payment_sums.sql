-- Kept sums of a programme's payments (issue 16, "Speed"): what its report and its payment list's
-- total read, so that they cost the same at 1,000,000 disbursements as at a hundred. One row per
-- programme × paying organisation × beneficiary kind × category × aid kind × month, kept by the
-- write that inserts a disbursement (src/store/care.cpp, care_bulk.cpp), in its transaction;
-- `tallies verify` recounts it. `first_payments` counts payments to a person that were that
-- person's first in the programme (duplicate_reason empty): the people a report counts.
CREATE TABLE care_payment_sums (
  programme_id     BIGINT NOT NULL REFERENCES care_programmes (id),
  organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
  beneficiary_kind TEXT NOT NULL,
  category         TEXT NOT NULL,
  aid_kind         TEXT NOT NULL,
  month            TEXT NOT NULL,
  payments         BIGINT NOT NULL,
  amount_fen       BIGINT NOT NULL,
  first_payments   BIGINT NOT NULL,
  PRIMARY KEY (programme_id, organisation_id, beneficiary_kind, category, aid_kind, month)
);

INSERT INTO care_payment_sums (programme_id, organisation_id, beneficiary_kind, category,
                               aid_kind, month, payments, amount_fen, first_payments)
SELECT programme_id, organisation_id, beneficiary_kind, category, aid_kind, substr(date, 1, 7),
       COUNT(*), SUM(amount_fen),
       SUM(CASE WHEN beneficiary_kind = 'person' AND duplicate_reason = '' THEN 1 ELSE 0 END)
FROM care_disbursements
GROUP BY programme_id, organisation_id, beneficiary_kind, category, aid_kind, substr(date, 1, 7);

-- People paid more than once in a programme are found among the repeated payments only.
CREATE INDEX care_disbursements_repeats ON care_disbursements (programme_id, beneficiary_id)
  WHERE duplicate_reason <> '';
-- A programme's payments newest first (the programme page's list) without sorting all of them.
CREATE INDEX care_disbursements_programme_date ON care_disbursements (programme_id, date, id);
