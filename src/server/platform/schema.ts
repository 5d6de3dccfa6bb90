import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Database row types. Each module owns its tables; they are gathered here for Kysely. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SystemStateTable {
  key: string;
  value: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface RegionsTable {
  code: string;
  parent_code: string | null;
  level: number;
  name: string;
  search_name: string;
  lat: number | null;
  lng: number | null;
}

export interface SubsectorsTable {
  code: string;
  name_id: string;
  name_en: string;
  sort_order: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  phone: string | null;
  region_code: string | null;
  password_hash: string;
  locale: ColumnType<'id' | 'en', 'id' | 'en' | undefined, 'id' | 'en'>;
  status: ColumnType<'active' | 'disabled', 'active' | 'disabled' | undefined, 'active' | 'disabled'>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleAssignmentsTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  scope_type: 'national' | 'province' | 'regency' | 'community';
  scope_code: ColumnType<string, string | undefined, string>;
  granted_by: number | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  client_key: string;
  attempted_at: Timestamp;
  succeeded: boolean;
}

export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  actor_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: JSONColumnType<Record<string, unknown> | null>;
  after: JSONColumnType<Record<string, unknown> | null>;
  reason: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

// ---------------------------------------------------------------- Jejaring (registry)

export interface ChaptersTable {
  id: Generated<number>;
  regency_code: string;
  name: string;
  status: ColumnType<'active' | 'inactive', 'active' | 'inactive' | undefined, 'active' | 'inactive'>;
  joined_on: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type LegalStatus = 'none' | 'perkumpulan' | 'yayasan' | 'koperasi' | 'cv' | 'pt' | 'other';
export type RegistrationStatus = 'pending' | 'active' | 'rejected' | 'inactive' | 'deleted';

export interface CommunitiesTable {
  id: Generated<number>;
  name: string;
  search_name: string;
  regency_code: string;
  district_code: string | null;
  description: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  social_links: ColumnType<{ kind: string; url: string }[], string | undefined, string>;
  legal_status: ColumnType<LegalStatus, LegalStatus | undefined, LegalStatus>;
  founding_year: number | null;
  status: ColumnType<'pending' | 'active' | 'rejected' | 'inactive', 'pending' | 'active' | 'rejected' | 'inactive' | undefined>;
  decided_by: number | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  verified_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommunitySubsectorsTable {
  community_id: number;
  subsector_code: string;
}

export interface MembersTable {
  id: Generated<number>;
  full_name: string;
  search_name: string;
  nik: string | null;
  phone: string | null;
  email: string | null;
  gender: 'L' | 'P' | null;
  birth_date: string | null;
  regency_code: string;
  district_code: string | null;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  portfolio_links: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<'pending' | 'active' | 'rejected' | 'deleted', 'pending' | 'active' | 'rejected' | 'deleted' | undefined>;
  source: ColumnType<'self_registration' | 'admin' | 'import' | 'demo', 'self_registration' | 'admin' | 'import' | 'demo' | undefined>;
  user_id: number | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  verified_at: Timestamp | null;
  anonymised_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberSubsectorsTable {
  member_id: number;
  subsector_code: string;
}

export interface MemberCommunitiesTable {
  member_id: number;
  community_id: number;
  role: ColumnType<'leader' | 'admin' | 'member', 'leader' | 'admin' | 'member' | undefined>;
  joined_at: Timestamp;
}

export type PartnerType = 'government' | 'academia' | 'business' | 'community' | 'media' | 'aggregator';

export interface PartnersTable {
  id: Generated<number>;
  name: string;
  type: PartnerType;
  region_code: string | null;
  website: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PartnerAgreementsTable {
  id: Generated<number>;
  partner_id: number;
  title: string;
  scope_type: 'national' | 'province' | 'regency';
  scope_code: ColumnType<string, string | undefined, string>;
  valid_from: string;
  valid_until: string | null;
  allows_personal_data: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface ConsentTextsTable {
  purpose: string;
  version: number;
  text_id: string;
  text_en: string;
  required: ColumnType<boolean, boolean | undefined, boolean>;
  published_at: Timestamp;
}

export interface ConsentsTable {
  id: Generated<number>;
  subject_type: 'member' | 'community';
  subject_id: number;
  purpose: string;
  text_version: number;
  granted: boolean;
  source: string;
  recorded_at: Timestamp;
}

export interface UpdateCampaignsTable {
  id: Generated<number>;
  scope_type: 'national' | 'province' | 'regency';
  scope_code: ColumnType<string, string | undefined, string>;
  message: string | null;
  started_by: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_at: Timestamp;
}

export interface UpdateLinksTable {
  token_hash: string;
  member_id: number;
  campaign_id: number | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

// ---------------------------------------------------------------- Beneficiaries (RESCUE, DAMPING)

export interface HouseholdsTable {
  id: Generated<number>;
  kk: string | null;
  regency_code: string;
  district_code: string | null;
  address: string | null;
  rt: number | null;
  rw: number | null;
  created_at: Timestamp;
}

export interface PersonsTable {
  id: Generated<number>;
  status: ColumnType<'active' | 'merged', 'active' | 'merged' | undefined, 'active' | 'merged'>;
  merged_into: number | null;
  created_at: Timestamp;
}

export type BeneficiarySourceKind = 'programme' | 'partner' | 'import' | 'registry';
export type LinkOutcome = 'new' | 'linked' | 'queued';

export interface BeneficiaryRecordsTable {
  id: Generated<number>;
  person_id: number;
  household_id: number | null;
  source_kind: BeneficiarySourceKind;
  source_ref: string;
  external_id: string | null;
  full_name: string;
  search_name: string;
  phonetic_key: string;
  nik: string | null;
  kk: string | null;
  birth_date: string | null;
  sex: 'L' | 'P' | null;
  regency_code: string;
  district_code: string | null;
  address: string | null;
  phone: string | null;
  consent_purpose: string;
  consent_text_version: number;
  consented_at: Timestamp;
  link_outcome: LinkOutcome;
  link_probability: number | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export type DuplicateStatus = 'pending' | 'merged' | 'not_same' | 'later';

export interface DuplicateCandidatesTable {
  id: Generated<number>;
  record_a: number;
  record_b: number;
  score: number;
  probability: number;
  explanation: JSONColumnType<Record<string, unknown>>;
  status: ColumnType<DuplicateStatus, DuplicateStatus | undefined, DuplicateStatus>;
  decided_by: number | null;
  decided_at: Timestamp | null;
  note: string | null;
  created_at: Timestamp;
  /** Migration 0010: the dedup run that queued the pair, and whether it was a clear match. */
  dedup_run_id: ColumnType<number | null, number | null | undefined, number | null>;
  clear_match: ColumnType<boolean, boolean | undefined, boolean>;
}

export type DedupRunStatus = 'queued' | 'running' | 'done' | 'failed';

/** Migration 0010: deduplication runs over the beneficiary registry. */
export interface DedupRunsTable {
  id: Generated<number>;
  region_code: string | null;
  status: ColumnType<DedupRunStatus, DedupRunStatus | undefined, DedupRunStatus>;
  job_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: number | null;
  created_at: Timestamp;
  started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  counts: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  parameters: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Migration 0010: uploaded files of beneficiary records, registered row by row by a job. */
export interface BeneficiaryImportBatchesTable {
  id: Generated<number>;
  file_name: string;
  file: Uint8Array | null;
  consent_purpose: string;
  consent_text_version: number;
  status: ColumnType<DedupRunStatus, DedupRunStatus | undefined, DedupRunStatus>;
  job_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: number | null;
  created_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  counts: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  problems: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PersonMergesTable {
  id: Generated<number>;
  candidate_id: number | null;
  from_person: number;
  into_person: number;
  moved_record_ids: number[];
  merged_by: number | null;
  merged_at: Timestamp;
  undone_by: number | null;
  undone_at: Timestamp | null;
}

export interface PersonSplitsTable {
  id: Generated<number>;
  record_id: number;
  from_person: number;
  new_person: number;
  split_by: number | null;
  split_at: Timestamp;
  note: string | null;
}

// ---------------------------------------------------------------- Benefit ledger (RESCUE, DAMPING)

export interface AidKindsTable {
  code: string;
  name_id: string;
  name_en: string;
  unit: string;
}

export interface AidProgrammesTable {
  id: Generated<number>;
  code: string;
  name: string;
  created_at: Timestamp;
}

export interface AidProgrammeKindsTable {
  programme_id: number;
  aid_kind: string;
}

export interface BenefitsTable {
  id: Generated<number>;
  person_id: number;
  record_id: number;
  programme_id: number;
  aid_kind: string;
  period_start: string;
  period_end: string;
  partner_id: number | null;
  regency_code: string;
  /** numeric, read as a string on both engines (platform/db.ts) */
  quantity: ColumnType<string | null, string | number | null, string | number | null>;
  /** whole rupiah */
  amount: number | null;
  delivered_at: Timestamp | null;
  idempotency_key: string | null;
  request_hash: string;
  created_by: number | null;
  created_at: Timestamp;
}

export interface PartnerPprlKeysTable {
  partner_id: number;
  key_ref: string;
  key_fingerprint: string;
  registered_by: number | null;
  registered_at: Timestamp;
}

export interface PartnerApiKeysTable {
  id: Generated<number>;
  partner_id: number;
  label: string;
  prefix: string;
  token_hash: string;
  scopes: string[];
  created_by: number | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: number | null;
  last_used_at: Timestamp | null;
}

export interface Database {
  system_state: SystemStateTable;
  regions: RegionsTable;
  subsectors: SubsectorsTable;
  users: UsersTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  chapters: ChaptersTable;
  communities: CommunitiesTable;
  community_subsectors: CommunitySubsectorsTable;
  members: MembersTable;
  member_subsectors: MemberSubsectorsTable;
  member_communities: MemberCommunitiesTable;
  partners: PartnersTable;
  partner_agreements: PartnerAgreementsTable;
  consent_texts: ConsentTextsTable;
  consents: ConsentsTable;
  update_campaigns: UpdateCampaignsTable;
  update_links: UpdateLinksTable;
  households: HouseholdsTable;
  persons: PersonsTable;
  beneficiary_records: BeneficiaryRecordsTable;
  duplicate_candidates: DuplicateCandidatesTable;
  person_merges: PersonMergesTable;
  person_splits: PersonSplitsTable;
  dedup_runs: DedupRunsTable;
  beneficiary_import_batches: BeneficiaryImportBatchesTable;
  aid_kinds: AidKindsTable;
  aid_programmes: AidProgrammesTable;
  aid_programme_kinds: AidProgrammeKindsTable;
  benefits: BenefitsTable;
  partner_pprl_keys: PartnerPprlKeysTable;
  partner_api_keys: PartnerApiKeysTable;
}
