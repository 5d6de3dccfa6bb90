-- Benefit ledger (RESCUE, DAMPING; issue 4 items 4 and 5): who received which kind of aid, in
-- which period, from which programme and partner — the ledger the "no overlap" rule reads.
--
-- Model, and why:
-- - **aid_kinds** are few and shared by every programme (food package, APD, cash, …): "the same
--   kind of aid twice in a period" is decided on the kind, whichever programme gave it.
-- - **aid_programmes** (RESCUE sub-programmes such as "Pangan Sehat untuk Semua") offer one or more
--   kinds (aid_programme_kinds). Named aid_* so that a later relief module can own "programmes".
-- - A **benefit** is given through one beneficiary record (the registration the programme or
--   partner made) and names the person it resolved to when written. Overlap checks join through
--   the record's *current* person: a merge moves records, so benefits follow the surviving person,
--   and an undone merge moves them back — benefits.person_id is history, not the truth.
-- - The natural key (record, programme, kind, period) makes a retried write one benefit; an
--   `Idempotency-Key` (per caller) does too, with the request hash to refuse a reused key.
-- - regency_code is the record's regency, denormalised: every list is scoped on it, and it is the
--   distribution key if the ledger moves to Citus with the registry.
-- - **partner_pprl_keys**: the secret a partner agreed for privacy-preserving exchanges is never
--   stored; the row names where the server finds it (an environment variable) and its fingerprint.

CREATE TABLE aid_kinds (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name_id text NOT NULL,
  name_en text NOT NULL,
  unit text NOT NULL
);
INSERT INTO aid_kinds (code, name_id, name_en, unit) VALUES
  ('food_package', 'paket pangan', 'food package', 'paket'),
  ('apd', 'APD (alat pelindung diri)', 'protective equipment (APD)', 'set'),
  ('cash', 'bantuan tunai', 'cash assistance', 'IDR');

CREATE TABLE aid_programmes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,39}$'),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE aid_programme_kinds (
  programme_id bigint NOT NULL REFERENCES aid_programmes(id) ON DELETE CASCADE,
  aid_kind text NOT NULL REFERENCES aid_kinds(code),
  PRIMARY KEY (programme_id, aid_kind)
);

-- The two RESCUE sub-programmes the network runs (SPEC, RESCUE).
INSERT INTO aid_programmes (code, name) VALUES ('RESCUE-PANGAN', 'Pangan Sehat untuk Semua'), ('RESCUE-APD', 'APD dari Komunitas');
INSERT INTO aid_programme_kinds (programme_id, aid_kind)
  SELECT id, 'food_package' FROM aid_programmes WHERE code = 'RESCUE-PANGAN'
  UNION ALL SELECT id, 'apd' FROM aid_programmes WHERE code = 'RESCUE-APD';

CREATE TABLE benefits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES persons(id),
  record_id bigint NOT NULL REFERENCES beneficiary_records(id),
  programme_id bigint NOT NULL REFERENCES aid_programmes(id),
  aid_kind text NOT NULL REFERENCES aid_kinds(code),
  period_start date NOT NULL,
  period_end date NOT NULL,
  partner_id bigint REFERENCES partners(id),
  regency_code text NOT NULL REFERENCES regions(code),
  quantity numeric(14, 2),
  -- rupiah, whole
  amount bigint CHECK (amount IS NULL OR amount >= 0),
  delivered_at timestamptz,
  idempotency_key text,
  request_hash text NOT NULL,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_end >= period_start),
  CHECK (quantity IS NULL OR quantity > 0)
);
CREATE UNIQUE INDEX benefits_natural_key_idx ON benefits (record_id, programme_id, aid_kind, period_start, period_end);
CREATE UNIQUE INDEX benefits_idempotency_idx ON benefits (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- overlap checks: the records of the candidates' persons, then their benefits of one kind
CREATE INDEX benefits_record_kind_idx ON benefits (record_id, aid_kind, period_start, period_end);
CREATE INDEX benefits_kind_period_idx ON benefits (aid_kind, period_start, period_end);
CREATE INDEX benefits_regency_idx ON benefits (regency_code);
CREATE INDEX benefits_person_idx ON benefits (person_id);

CREATE TABLE partner_pprl_keys (
  partner_id bigint PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
  -- where the server finds the secret: the name of an environment variable (SIMPUL_PPRL_KEY_…)
  key_ref text NOT NULL CHECK (key_ref ~ '^SIMPUL_PPRL_KEY_[A-Z0-9_]{1,60}$'),
  -- keyFingerprint() of the secret (src/lib/linkage/pprl.ts): both sides can check they hold the same key
  key_fingerprint text NOT NULL,
  registered_by bigint REFERENCES users(id),
  registered_at timestamptz NOT NULL DEFAULT now()
);
