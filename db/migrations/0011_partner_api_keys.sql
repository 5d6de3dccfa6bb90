-- Partner API keys (SPEC "Open API"; issue 4: "an API lets a partner send its own list and learn
-- the overlaps"). A key belongs to one partner and carries scopes; the partner's valid agreements
-- still bound every answer, the key only says who is asking and for what.
--
-- - The token is shown once, when the key is issued; only its SHA-256 is kept. A plain, unsalted
--   fast hash is right here (unlike passwords): the token is 32 random bytes (256 bits), so there
--   is nothing to guess or to look up in a table, and a fast hash lets every request find its key
--   by an indexed equality lookup. A stolen copy of this table opens nothing.
-- - `prefix` (the token's first characters, e.g. "smp_pk_AbCd1234") is shown in lists so people
--   recognise which key is which, the way Stripe and GitHub show theirs.
-- - `scopes` is a text array checked against a known list so that a new scope is one more entry in
--   the CHECK (and in the code's list), not a new column.
-- - Keys are revoked, never deleted: the audit trail names a key by id.
-- - `last_used_at` is written at most once a minute per key (see partner-keys.service.ts).

CREATE TABLE partner_api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partner_id bigint NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  prefix text NOT NULL,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  scopes text[] NOT NULL CHECK (
    cardinality(scopes) > 0 AND scopes <@ ARRAY['overlap.check', 'pprl.exchange']::text[]
  ),
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by bigint REFERENCES users(id),
  last_used_at timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX partner_api_keys_partner_idx ON partner_api_keys (partner_id, id DESC);
