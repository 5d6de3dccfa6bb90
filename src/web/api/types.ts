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
