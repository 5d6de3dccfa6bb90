-- Jejaring: the network registry. Chapters, communities, members, partners, consent, data freshness.

-- One chapter per regency/city that has joined the network; its coordinators are role grants
-- (regional_coordinator scoped to the regency).
CREATE TABLE chapters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  regency_code text NOT NULL UNIQUE REFERENCES regions(code),
  name text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  joined_on date,
  contact_email citext,
  contact_phone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE communities (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  -- lower-cased, spelling-folded name for fuzzy search (see src/lib/names)
  search_name text NOT NULL,
  regency_code text NOT NULL REFERENCES regions(code),
  district_code text REFERENCES regions(code),
  description text,
  contact_name text,
  contact_phone text,
  contact_email citext,
  -- [{ "kind": "instagram", "url": "https://…" }]
  social_links jsonb NOT NULL DEFAULT '[]',
  legal_status text NOT NULL DEFAULT 'none'
    CHECK (legal_status IN ('none', 'perkumpulan', 'yayasan', 'koperasi', 'cv', 'pt', 'other')),
  founding_year smallint CHECK (founding_year BETWEEN 1900 AND 2100),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'rejected', 'inactive')),
  decided_by bigint REFERENCES users(id),
  decided_at timestamptz,
  decision_note text,
  verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX communities_regency_idx ON communities (regency_code);
CREATE INDEX communities_status_idx ON communities (status);
CREATE INDEX communities_search_trgm_idx ON communities USING gin (search_name gin_trgm_ops);

CREATE TABLE community_subsectors (
  community_id bigint NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  subsector_code text NOT NULL REFERENCES subsectors(code),
  PRIMARY KEY (community_id, subsector_code)
);
CREATE INDEX community_subsectors_code_idx ON community_subsectors (subsector_code);

CREATE TABLE members (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  full_name text NOT NULL,
  search_name text NOT NULL,
  -- NIK is protected population data: masked in every response unless revealed (and the reveal logged)
  nik text CHECK (nik ~ '^\d{16}$'),
  phone text,
  email citext,
  gender text CHECK (gender IN ('L', 'P')),
  birth_date date,
  regency_code text NOT NULL REFERENCES regions(code),
  district_code text REFERENCES regions(code),
  skills text[] NOT NULL DEFAULT '{}',
  portfolio_links text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'rejected', 'deleted')),
  source text NOT NULL DEFAULT 'admin' CHECK (source IN ('self_registration', 'admin', 'import', 'demo')),
  user_id bigint REFERENCES users(id),
  decided_by bigint REFERENCES users(id),
  decided_at timestamptz,
  decision_note text,
  -- last time the member or a coordinator confirmed the data: drives freshness per region
  verified_at timestamptz,
  anonymised_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX members_nik_idx ON members (nik) WHERE nik IS NOT NULL AND status <> 'deleted';
CREATE INDEX members_regency_idx ON members (regency_code);
CREATE INDEX members_status_idx ON members (status);
CREATE INDEX members_search_trgm_idx ON members USING gin (search_name gin_trgm_ops);
CREATE INDEX members_birth_idx ON members (birth_date);
CREATE INDEX members_phone_idx ON members (phone);
CREATE INDEX members_email_idx ON members (email);

CREATE TABLE member_subsectors (
  member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  subsector_code text NOT NULL REFERENCES subsectors(code),
  PRIMARY KEY (member_id, subsector_code)
);
CREATE INDEX member_subsectors_code_idx ON member_subsectors (subsector_code);

CREATE TABLE member_communities (
  member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  community_id bigint NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('leader', 'admin', 'member')),
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, community_id)
);
CREATE INDEX member_communities_community_idx ON member_communities (community_id);

CREATE TABLE partners (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('government', 'academia', 'business', 'community', 'media', 'aggregator')),
  -- where the partner works: a province or regency code, or NULL for national partners
  region_code text REFERENCES regions(code),
  website text,
  contact_name text,
  contact_email citext,
  contact_phone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partners_region_idx ON partners (region_code);

CREATE TABLE partner_agreements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partner_id bigint NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
  title text NOT NULL,
  -- what the agreement covers: national, a province or a regency
  scope_type text NOT NULL CHECK (scope_type IN ('national', 'province', 'regency')),
  scope_code text NOT NULL DEFAULT '',
  valid_from date NOT NULL,
  valid_until date,
  -- a signed data-sharing agreement is what allows a partner to see personal data
  allows_personal_data boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX partner_agreements_partner_idx ON partner_agreements (partner_id);

-- The consent texts people agree to, by purpose and version (UU PDP: consent must name its purpose).
CREATE TABLE consent_texts (
  purpose text NOT NULL,
  version integer NOT NULL,
  text_id text NOT NULL,
  text_en text NOT NULL,
  required boolean NOT NULL DEFAULT false,
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (purpose, version)
);

-- Each consent given or withdrawn, with the version of the text shown. Append-only in practice:
-- a withdrawal is a new row.
CREATE TABLE consents (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_type text NOT NULL CHECK (subject_type IN ('member', 'community')),
  subject_id bigint NOT NULL,
  purpose text NOT NULL,
  text_version integer NOT NULL,
  granted boolean NOT NULL,
  source text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (purpose, text_version) REFERENCES consent_texts (purpose, version)
);
CREATE INDEX consents_subject_idx ON consents (subject_type, subject_id, purpose, recorded_at);

INSERT INTO consent_texts (purpose, version, required, text_id, text_en) VALUES
  ('registry', 1, true,
   'Saya setuju data saya (nama, kontak, wilayah, subsektor, keahlian, dan NIK bila diisi) disimpan dan diolah oleh Indonesia Creative Cities Network untuk keanggotaan jejaring dan dapat dilihat oleh koordinator wilayah saya.',
   'I agree that my data (name, contacts, region, subsectors, skills and NIK if given) is stored and processed by the Indonesia Creative Cities Network for network membership and can be seen by my regional coordinator.'),
  ('programmes', 1, false,
   'Saya setuju data saya dipakai untuk menilai kelayakan saya dalam program jejaring (bantuan, pelatihan, insentif, pekerjaan).',
   'I agree that my data is used to assess my eligibility for network programmes (aid, training, incentives, jobs).'),
  ('contact', 1, false,
   'Saya bersedia dihubungi melalui WhatsApp atau email tentang kegiatan jejaring.',
   'I agree to be contacted by WhatsApp or e-mail about network activities.');

-- Data-update campaigns: a coordinator asks everyone in a region to check their data.
CREATE TABLE update_campaigns (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scope_type text NOT NULL CHECK (scope_type IN ('national', 'province', 'regency')),
  scope_code text NOT NULL DEFAULT '',
  message text,
  started_by bigint NOT NULL REFERENCES users(id),
  starts_at timestamptz NOT NULL DEFAULT now(),
  ends_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A personal, expiring link that can change one member's record only. Only a hash of the token is stored.
CREATE TABLE update_links (
  token_hash text PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  campaign_id bigint REFERENCES update_campaigns(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX update_links_member_idx ON update_links (member_id);
CREATE INDEX update_links_campaign_idx ON update_links (campaign_id);
