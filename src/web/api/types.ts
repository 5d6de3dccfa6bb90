export type Role =
  | 'national_admin'
  | 'regional_coordinator'
  | 'community_admin'
  | 'member'
  | 'partner'
  | 'curator'
  | 'cashier'
  | 'instructor'
  | 'field_volunteer';

export type ScopeType = 'national' | 'province' | 'regency' | 'community';

export interface Grant {
  id: number;
  role: Role;
  scopeType: ScopeType;
  /** '' for national scope. */
  scopeCode: string;
  scopeName: string | null;
}

export interface SessionUser {
  id: number;
  name: string;
  email: string;
  locale: 'id' | 'en';
  regionCode: string | null;
  regionName: string | null;
}

export interface SessionPayload {
  user: SessionUser;
  grants: Grant[];
  permissions: string[];
  csrfToken: string;
}

/** GET /api/setup/status */
export interface SetupStatus {
  needed: boolean;
  /** True when the browser is not on the server's own machine: setup then asks for the console code. */
  tokenRequired?: boolean;
}

export interface User {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  regionCode: string | null;
  regionName: string | null;
  locale?: 'id' | 'en';
  status: 'active' | 'disabled';
  grants: Grant[];
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface RoleInfo {
  role: Role;
  scopeTypes: ScopeType[];
  grantable: boolean;
}

export type RegionLevel = 1 | 2 | 3 | 4;

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export interface RegionSearchHit extends Region {
  /** The region and its ancestors, e.g. "Kota Bandung, Jawa Barat". */
  path: string;
  score?: number;
}

export interface RegionDetail extends Region {
  lat: number | null;
  lng: number | null;
  ancestors: { code: string; name: string; level: RegionLevel }[];
  childCount: number;
}

export interface Subsector {
  code: string;
  nameId: string;
  nameEn: string;
}

// ---------------------------------------------------------------- spreadsheet import

export type ImportKind = 'members' | 'communities';

export type ImportStatus = 'validating' | 'preview' | 'committing' | 'committed' | 'failed';

export interface ImportIssue {
  /** The target field key, e.g. `birthDate`. */
  field: string;
  code: string;
  /** Already in the user's language. */
  message: string;
}

export interface ImportReportRow {
  /** Data row number (1 = the first row under the headers). */
  row: number;
  /** Line in the file, for finding the row in a spreadsheet. */
  line: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  duplicateOf?: { memberId?: number; communityId?: number; row?: number; kind: string };
}

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'saving';
  done: number;
  total: number | null;
  etaSeconds: number | null;
}

export interface ImportField {
  key: string;
  /** Already in the user's language. */
  label: string;
  required: boolean;
}

export interface ImportResult {
  mode?: 'all_or_nothing' | 'valid_only';
  skipDuplicates?: boolean;
  inserted?: number;
  skipped?: number;
  [key: string]: unknown;
}

/**
 * An import batch as `GET /api/registry/imports/:id` presents it. Fields marked optional arrived
 * later in the API (background jobs, mapping override): the UI copes without them.
 */
export interface ImportBatch {
  id: number;
  kind: ImportKind;
  fileName: string;
  status: ImportStatus;
  rows: number;
  valid: number;
  invalid: number;
  duplicates: number;
  /** Target field key → the file header that feeds it. */
  mapping: Record<string, string>;
  /** File headers no field uses. */
  unmapped: string[];
  /** Every file header, in file order. */
  headers?: string[];
  fields?: ImportField[];
  background?: boolean;
  progress?: ImportProgress | null;
  error?: { code: string; message: string } | null;
  result: ImportResult | null;
  /** The first rows with problems (absent in the list of batches). */
  report?: ImportReportRow[];
  createdAt?: string;
  updatedAt?: string;
}

// ---------------------------------------------------------------- beneficiaries (RESCUE, DAMPING)

export type BeneficiarySourceKind = 'programme' | 'partner' | 'import' | 'registry';
export type DuplicateStatus = 'pending' | 'merged' | 'not_same' | 'later';
export type BeneficiaryRevealField = 'nik' | 'kk' | 'phone' | 'address';

/** GET /api/beneficiaries/records/:id — NIK, KK, phone and address arrive masked. */
export interface BeneficiaryRecord {
  id: number;
  personId: number;
  householdId: number | null;
  source: { kind: BeneficiarySourceKind; ref: string; externalId: string | null };
  fullName: string;
  nik: string | null;
  kk: string | null;
  birthDate: string | null;
  sex: 'L' | 'P' | null;
  regency: { code: string; name: string | null };
  districtCode: string | null;
  address: string | null;
  phone: string | null;
  consent: { purpose: string; version: number; givenAt: string };
  /** What linkage decided when the record arrived. */
  link: { outcome: 'new' | 'linked' | 'queued'; probability: number | null };
  createdAt: string;
}

/** A record split off a person into a person of its own. */
export interface PersonSplit {
  id: number;
  recordId: number;
  fromPerson: number;
  newPerson: number;
  splitAt: string;
  note: string | null;
}

/** GET /api/beneficiaries/persons/:id */
export interface BeneficiaryPerson {
  id: number;
  requestedId: number;
  status: 'active' | 'merged';
  records: BeneficiaryRecord[];
  hiddenRecords: number;
  /** Merges into or out of this person, newest first. */
  merges: PersonMerge[];
  splits: PersonSplit[];
}

/** One field's share of a pair's match weight (bits). */
export interface MatchContribution {
  field: string;
  level: number;
  label: string;
  weight: number;
  m?: number;
  u?: number;
}

/** GET /api/beneficiaries/duplicates/:id */
export interface DuplicateCandidate {
  id: number;
  status: DuplicateStatus;
  score: number;
  probability: number;
  priorWeight: number;
  contributions: MatchContribution[];
  recordA: BeneficiaryRecord;
  recordB: BeneficiaryRecord;
  samePerson: boolean;
  decidedBy: number | null;
  decidedAt: string | null;
  note: string | null;
  mergeId: number | null;
  createdAt: string;
}

export interface PersonMerge {
  id: number;
  candidateId: number | null;
  fromPerson: number;
  intoPerson: number;
  movedRecordIds: number[];
  mergedAt: string;
  undoneAt: string | null;
  note: string | null;
}

/** POST /api/beneficiaries/duplicates/:id/decision */
export interface DuplicateDecisionResult {
  candidate: DuplicateCandidate;
  merge: PersonMerge | null;
}

// ---------------------------------------------------------------- benefit ledger and distributions

/** GET /api/beneficiaries/aid-kinds (name in the caller's language). */
export interface AidKind {
  code: string;
  name: string;
  unit: string;
}

/** GET /api/beneficiaries/programmes */
export interface AidProgramme {
  id: number;
  code: string;
  name: string;
  aidKinds: string[];
}

/** A period of aid: first and last day (YYYY-MM-DD), inclusive. */
export interface AidPeriod {
  start: string;
  end: string;
}

/** GET /api/beneficiaries/persons/:id/benefits */
export interface Benefit {
  id: number;
  personId: number;
  recordId: number;
  programme: { code: string; name: string };
  aidKind: string;
  period: AidPeriod;
  partner: { id: number; name: string } | null;
  regencyCode: string;
  quantity: string | null;
  amount: number | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface EligibilityReason {
  code: 'already_received' | 'duplicate_in_list' | 'not_found';
  /** Already in the caller's language. */
  message: string;
  benefitId?: number;
  programme?: { code: string; name: string };
  partner?: { id: number; name: string } | null;
  period?: AidPeriod;
  deliveredAt?: string | null;
  duplicateOfRecordId?: number;
}

/** POST /api/beneficiaries/distributions/eligible */
export interface EligibleList {
  programme: { code: string; name: string };
  aidKind: string;
  period: AidPeriod;
  included: number;
  excluded: number;
  truncated: boolean;
  items: {
    recordId: number;
    personId: number | null;
    fullName: string | null;
    regencyCode: string | null;
    included: boolean;
    reasons: EligibilityReason[];
  }[];
}

/** POST /api/beneficiaries/benefits/batch */
export interface BenefitBatchResult {
  recorded: number;
  replayed: number;
  items: { recordId: number; personId: number; benefitId: number; replayed: boolean }[];
}

/** POST /api/beneficiaries/partner-overlap */
export interface PartnerOverlapResult {
  partnerId: number;
  personalData: boolean;
  checked: number;
  invalid: number;
  alreadyReceived: number;
  rows: {
    index: number;
    ref: string | null;
    status: 'invalid' | 'not_received' | 'already_received';
    errors: { path: string; code: string; message: string }[];
    sources: { programme: { code: string; name: string }; partner: { id: number; name: string } | null }[];
    detail:
      | {
          personId: number;
          match: 'nik' | 'name_birth_date';
          probability: number;
          benefitId: number;
          period: AidPeriod;
          deliveredAt: string | null;
          regencyCode: string;
        }[]
      | null;
  }[];
}

// ---------------------------------------------------------------- beneficiary imports and dedup runs

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** Progress of a background job as the server reports it; `etaSeconds` once there is a pace. */
export interface JobProgress {
  phase: string;
  done: number;
  total: number | null;
  etaSeconds: number | null;
}

/** GET /api/beneficiaries/imports (items) */
export interface BeneficiaryImportSummary {
  id: number;
  fileName: string;
  status: JobStatus;
  consent: { purpose: string; version: number };
  createdAt: string;
  finishedAt: string | null;
  progress: JobProgress | null;
  /** rows, new, linked, queued, invalid, replayed */
  counts: Record<string, number> | null;
  error: string | null;
}

/** GET /api/beneficiaries/imports/:id — problems' messages are in the caller's language. */
export interface BeneficiaryImportBatch extends BeneficiaryImportSummary {
  problems: { row: number; line: number; errors: { path: string; code: string; message: string }[] }[];
}

/** GET /api/public/consent-texts (items) */
export interface ConsentText {
  purpose: string;
  version: number;
  required: boolean;
  text: string;
}

export interface DedupRunCounts {
  records: number;
  candidatePairs: number;
  clearMatches: number;
  greyZone: number;
  queued: number;
  queuedClearMatches: number;
  alreadyInQueue: number;
  clusters: number;
  refusedLinks: number;
  /** Milliseconds per phase, and `total`. */
  timings: Record<string, number>;
}

export interface DedupRunParameters {
  lambda: number;
  iterations: number;
  converged: boolean;
  fields: { field: string; levels: { label: string; m: number | null; u: number | null; weight: number }[] }[];
}

/** GET /api/beneficiaries/dedup-runs/:id */
export interface DedupRun {
  id: number;
  regionCode: string | null;
  status: JobStatus;
  createdBy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  counts: DedupRunCounts | null;
  parameters: DedupRunParameters | null;
  error: string | null;
}

/** GET /api/beneficiaries/dedup-runs/:id/merge-clear-matches */
export interface ClearMatchMerge {
  runId: number;
  status: JobStatus | 'none';
  jobId: number | null;
  requestedBy: number | null;
  requestedAt: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  pairs: { clear: number; pending: number; later: number; merged: number; notSame: number; mergeable: number };
  error: string | null;
}

/** POST /api/beneficiaries/dedup-runs/:id/merge-clear-matches (202) */
export interface ClearMatchMergeStarted extends ClearMatchMerge {
  started: boolean;
  toMerge: number;
}

// ---------------------------------------------------------------- partner API keys

export type PartnerKeyScope = 'overlap.check' | 'pprl.exchange';

/** GET /api/partners/:id/keys (items); the token itself is never listed. */
export interface PartnerApiKey {
  id: number;
  partnerId: number;
  label: string;
  /** The token's first characters, to recognise it. */
  prefix: string;
  scopes: PartnerKeyScope[];
  status: 'active' | 'expired' | 'revoked';
  createdBy: { id: number; name: string } | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** POST /api/partners/:id/keys (201): the token, in this answer only. */
export interface IssuedPartnerKey {
  key: PartnerApiKey;
  token: string;
}
