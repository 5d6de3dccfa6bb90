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
