-- Beneficiary registry (RESCUE, DAMPING): one registry shared by every programme and partner, so
-- that the same person is found whichever programme registered them (issue 4, items 2 and 3).
--
-- Model, and why:
-- - A **person** is a stable id shared by every programme. It holds no personal data of its own:
--   a person is the cluster of its records. When two persons turn out to be one, the younger is
--   marked 'merged' with `merged_into`, so an id a programme already stored still resolves.
-- - A **beneficiary record** is one registration from one source (a programme, a partner, an
--   import, the member registry), kept as entered. Records are never merged into one row: each
--   source keeps its own version, and a merge only moves records from one person to another, which
--   is what makes a merge undoable (`person_merges` lists the records it moved).
-- - `source_ref` names the source (a programme code, a partner id, an import batch id, a member
--   id). Several records share it (a programme registers many people), so it cannot make a
--   record unique on its own: `external_id` is the record's own id in that source (the partner's
--   row id, the import row number). (source_kind, source_ref, external_id) is unique, which makes a
--   retried submission from a source a no-op, as does a repeated `Idempotency-Key` header (per caller).
-- - A **household** groups records by KK (family card). Records without a KK have none.
-- - **duplicate_candidates** is the review queue: pairs of records the linkage model puts in the
--   grey zone, with the per-field explanation of the score, and the reviewer's decision.
-- - Regions are denormalised onto records (regency_code): every list is filtered by the caller's
--   scope on that column, and it is the distribution key if the registry ever moves to Citus.
-- NIK, KK, phone and address are protected personal data: masked in every response unless
-- revealed (logged), masked in the audit log.

CREATE TABLE households (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kk text UNIQUE CHECK (kk ~ '^\d{16}$'),
  regency_code text NOT NULL REFERENCES regions(code),
  district_code text REFERENCES regions(code),
  address text,
  rt smallint,
  rw smallint,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX households_regency_idx ON households (regency_code);

CREATE TABLE persons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged')),
  merged_into bigint REFERENCES persons(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
  CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE INDEX persons_merged_into_idx ON persons (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE beneficiary_records (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES persons(id),
  household_id bigint REFERENCES households(id),
  source_kind text NOT NULL CHECK (source_kind IN ('programme', 'partner', 'import', 'registry')),
  source_ref text NOT NULL,
  external_id text,
  full_name text NOT NULL,
  -- normalised name (src/lib/linkage normalizeName) and its phonetic key: blocking and search
  search_name text NOT NULL,
  phonetic_key text NOT NULL,
  nik text CHECK (nik ~ '^\d{16}$'),
  kk text CHECK (kk ~ '^\d{16}$'),
  birth_date date,
  sex text CHECK (sex IN ('L', 'P')),
  regency_code text NOT NULL REFERENCES regions(code),
  district_code text REFERENCES regions(code),
  address text,
  phone text,
  -- consent to the purpose, the version of the text shown, and when it was given
  consent_purpose text NOT NULL,
  consent_text_version integer NOT NULL,
  consented_at timestamptz NOT NULL,
  -- what registration decided, so a retried request gets the same answer
  link_outcome text NOT NULL CHECK (link_outcome IN ('new', 'linked', 'queued')),
  link_probability double precision,
  idempotency_key text,
  request_hash text,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (consent_purpose, consent_text_version) REFERENCES consent_texts (purpose, version)
);
CREATE INDEX beneficiary_records_person_idx ON beneficiary_records (person_id);
CREATE INDEX beneficiary_records_household_idx ON beneficiary_records (household_id);
CREATE INDEX beneficiary_records_regency_idx ON beneficiary_records (regency_code);
-- blocking keys (src/lib/linkage blocking rules, OR-ed): NIK, KK, name + birth date, phonetic name + regency
CREATE INDEX beneficiary_records_nik_idx ON beneficiary_records (nik) WHERE nik IS NOT NULL;
CREATE INDEX beneficiary_records_kk_idx ON beneficiary_records (kk) WHERE kk IS NOT NULL;
CREATE INDEX beneficiary_records_name_birth_idx ON beneficiary_records (search_name, birth_date);
CREATE INDEX beneficiary_records_phonetic_regency_idx ON beneficiary_records (phonetic_key, regency_code);
CREATE INDEX beneficiary_records_search_trgm_idx ON beneficiary_records USING gin (search_name gin_trgm_ops);
CREATE UNIQUE INDEX beneficiary_records_source_idx ON beneficiary_records (source_kind, source_ref, external_id)
  WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX beneficiary_records_idempotency_idx ON beneficiary_records (created_by, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE duplicate_candidates (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_a bigint NOT NULL REFERENCES beneficiary_records(id),
  record_b bigint NOT NULL REFERENCES beneficiary_records(id),
  -- Fellegi-Sunter match weight (bits) and probability
  score double precision NOT NULL,
  probability double precision NOT NULL,
  -- { priorWeight, matchWeight, contributions: [{ field, level, label, weight, m, u }] }
  explanation jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'merged', 'not_same', 'later')),
  decided_by bigint REFERENCES users(id),
  decided_at timestamptz,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (record_a < record_b),
  UNIQUE (record_a, record_b)
);
CREATE INDEX duplicate_candidates_status_idx ON duplicate_candidates (status, probability DESC);
CREATE INDEX duplicate_candidates_record_b_idx ON duplicate_candidates (record_b);

CREATE TABLE person_merges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  candidate_id bigint REFERENCES duplicate_candidates(id),
  from_person bigint NOT NULL REFERENCES persons(id),
  into_person bigint NOT NULL REFERENCES persons(id),
  moved_record_ids bigint[] NOT NULL,
  merged_by bigint REFERENCES users(id),
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_by bigint REFERENCES users(id),
  undone_at timestamptz,
  CHECK (from_person <> into_person)
);
CREATE INDEX person_merges_into_idx ON person_merges (into_person);
CREATE INDEX person_merges_from_idx ON person_merges (from_person);
