-- Simpul foundation: reference data, identity, access, audit.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Key/value facts about this installation (e.g. which reference data version is loaded).
CREATE TABLE system_state (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Indonesian administrative regions (Kemendagri codes with dots), from idn-area-data.
-- level: 1 province, 2 regency/city, 3 district (kecamatan), 4 village (desa/kelurahan).
CREATE TABLE regions (
  code text PRIMARY KEY,
  parent_code text REFERENCES regions(code),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  name text NOT NULL,
  -- lower-cased, accent-free name with expanded abbreviations: what search compares against
  search_name text NOT NULL,
  lat double precision,
  lng double precision
);
CREATE INDEX regions_parent_idx ON regions (parent_code);
CREATE INDEX regions_level_idx ON regions (level);
CREATE INDEX regions_search_trgm_idx ON regions USING gin (search_name gin_trgm_ops);

-- The 17 creative-economy subsectors.
CREATE TABLE subsectors (
  code text PRIMARY KEY,
  name_id text NOT NULL,
  name_en text NOT NULL,
  sort_order smallint NOT NULL
);

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL UNIQUE,
  name text NOT NULL,
  phone text,
  -- the user's home region (a regency or province code); decides who may administer them
  region_code text REFERENCES regions(code),
  password_hash text NOT NULL,
  locale text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_region_idx ON users (region_code);

-- A role held within a scope: national, a province code, a regency code or a community id.
CREATE TABLE role_assignments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL,
  scope_type text NOT NULL CHECK (scope_type IN ('national', 'province', 'regency', 'community')),
  scope_code text NOT NULL DEFAULT '',
  granted_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, role, scope_type, scope_code)
);
CREATE INDEX role_assignments_scope_idx ON role_assignments (scope_type, scope_code);

-- Sessions live in the database so any app process can serve any request.
-- Only a SHA-256 of the token is stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Login attempts per client address, for rate limiting shared by all app processes.
CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_key text NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  succeeded boolean NOT NULL
);
CREATE INDEX login_attempts_key_idx ON login_attempts (client_key, attempted_at);

-- Append-only, hash-chained audit log. hash = sha256(prev_hash || canonical row).
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  actor_id bigint,
  actor_label text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  before jsonb,
  after jsonb,
  reason text,
  request_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
