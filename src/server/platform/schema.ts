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

export interface Database {
  system_state: SystemStateTable;
  regions: RegionsTable;
  subsectors: SubsectorsTable;
  users: UsersTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
}
