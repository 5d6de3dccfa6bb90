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
  createdAt: string;
}

/** GET /api/beneficiaries/persons/:id */
export interface BeneficiaryPerson {
  id: number;
  requestedId: number;
  status: 'active' | 'merged';
  records: BeneficiaryRecord[];
  hiddenRecords: number;
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
  fromPerson: number;
  intoPerson: number;
  movedRecordIds: number[];
  mergedAt: string;
  undoneAt: string | null;
}

/** POST /api/beneficiaries/duplicates/:id/decision */
export interface DuplicateDecisionResult {
  candidate: DuplicateCandidate;
  merge: PersonMerge | null;
}
