/**
 * The registry dashboard: members, communities and chapters per province or regency and per
 * subsector, coverage (regencies with an active chapter) and data freshness. Aggregates only.
 *
 * Counting 100,000–300,000 members takes 0.1–1 s on the embedded database, far too slow to do per
 * request when a dozen coordinators open the map at once (PGlite runs one query at a time). So the
 * counts per regency are taken once into a snapshot shared by every caller and kept for
 * SNAPSHOT_TTL_MS; each request then filters and sums that snapshot for the caller's scope, which
 * costs microseconds. A snapshot past its TTL is still served while a fresh one is taken in the
 * background (never one older than SNAPSHOT_MAX_STALE_MS); `invalidateRegistryDashboard()` makes
 * the next request wait for fresh counts (call it after approvals and imports). With several app
 * processes (server mode) each keeps its own snapshot, so another process may lag by up to the TTL.
 */
import { regionFilter, requireActor, type Actor } from '../../platform/access.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { SUBSECTORS } from '../subsectors/data.ts';
import { MAX_MONTHS, NEVER, loadDashboardData, type DashboardData } from './dashboard.repository.ts';
import type { DashboardResponse, PublicSummaryResponse } from './dashboard.schemas.ts';

export const SNAPSHOT_TTL_MS = 30_000;
export const SNAPSHOT_MAX_STALE_MS = 5 * 60_000;
/** Public member counts from 1 to 4 are shown as "<5". */
export const SUPPRESS_BELOW = 5;

interface RegencyStats {
  code: string;
  name: string;
  province: string;
  activeMembers: number;
  pendingMembers: number;
  /** freshUpTo[n]: active members confirmed less than n whole months ago (n = 0..MAX_MONTHS). */
  freshUpTo: number[];
  activeCommunities: number;
  pendingCommunities: number;
  chapter: boolean;
  memberSubsectors: Map<string, number>;
  communitySubsectors: Map<string, number>;
}

export interface Snapshot {
  takenAt: Date;
  /** Wall-clock time of this process when the snapshot was taken, for its age. */
  builtAt: number;
  generation: number;
  provinces: Map<string, string>;
  /** Sorted by code. */
  regencies: RegencyStats[];
}

function buildSnapshot(data: DashboardData, generation: number): Snapshot {
  const provinces = new Map<string, string>();
  const byCode = new Map<string, RegencyStats & { buckets: number[] }>();
  for (const r of data.regions) {
    if (r.level === 1) {
      provinces.set(r.code, r.name);
      continue;
    }
    byCode.set(r.code, {
      code: r.code,
      name: r.name,
      province: r.code.slice(0, 2),
      activeMembers: 0,
      pendingMembers: 0,
      freshUpTo: [],
      buckets: new Array<number>(NEVER + 1).fill(0),
      activeCommunities: 0,
      pendingCommunities: 0,
      chapter: false,
      memberSubsectors: new Map(),
      communitySubsectors: new Map(),
    });
  }
  // Rows for a regency the reference data no longer has are left out, as everywhere else.
  for (const m of data.members) {
    const r = byCode.get(m.regency_code);
    if (!r) continue;
    if (m.status === 'pending') r.pendingMembers += m.n;
    else {
      r.activeMembers += m.n;
      r.buckets[m.months] += m.n;
    }
  }
  for (const c of data.communities) {
    const r = byCode.get(c.regency_code);
    if (r && c.status === 'active') r.activeCommunities += c.n;
    else if (r) r.pendingCommunities += c.n;
  }
  for (const s of data.memberSubsectors) byCode.get(s.regency_code)?.memberSubsectors.set(s.subsector_code, s.n);
  for (const s of data.communitySubsectors) byCode.get(s.regency_code)?.communitySubsectors.set(s.subsector_code, s.n);
  for (const code of data.chapterRegencies) {
    const r = byCode.get(code);
    if (r) r.chapter = true;
  }
  const regencies: RegencyStats[] = [];
  for (const { buckets, ...r } of byCode.values()) {
    let sum = 0;
    r.freshUpTo = [0];
    for (let n = 1; n <= MAX_MONTHS; n++) r.freshUpTo.push((sum += buckets[n - 1]));
    regencies.push(r);
  }
  regencies.sort((a, b) => a.code.localeCompare(b.code));
  return { takenAt: data.takenAt, builtAt: Date.now(), generation, provinces, regencies };
}

let generation = 0;

/** The registry changed (an approval, an import): the next dashboard request in this process counts again. */
export function invalidateRegistryDashboard(): void {
  generation++;
}

/** One shared, periodically refreshed snapshot of the counts per database. */
export class DashboardSnapshots {
  private current: Snapshot | undefined;
  private pending: { generation: number; promise: Promise<Snapshot> } | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = SNAPSHOT_TTL_MS,
    private readonly maxStaleMs = SNAPSHOT_MAX_STALE_MS,
  ) {}

  async get(): Promise<Snapshot> {
    const s = this.current;
    if (s && s.generation === generation) {
      const age = Date.now() - s.builtAt;
      if (age < this.ttlMs) return s;
      if (age < this.maxStaleMs) {
        // Stale while revalidating: this caller does not wait; a failed refresh is retried by the next one.
        this.refresh().catch(() => {});
        return s;
      }
    }
    return this.refresh();
  }

  private refresh(): Promise<Snapshot> {
    // A count already under way is shared, unless the registry changed since it started.
    if (this.pending && this.pending.generation === generation) return this.pending.promise;
    const startedAt = generation;
    const promise = loadDashboardData(this.db)
      .then((data) => {
        const snapshot = buildSnapshot(data, startedAt);
        if (startedAt === generation) this.current = snapshot;
        return snapshot;
      })
      .finally(() => {
        if (this.pending?.promise === promise) this.pending = undefined;
      });
    this.pending = { generation: startedAt, promise };
    return promise;
  }
}

const stores = new WeakMap<Queryable, DashboardSnapshots>();

export function snapshotsFor(db: Queryable): DashboardSnapshots {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new DashboardSnapshots(db)));
  return store;
}

// ------------------------------------------------------------------------------------------------
// Views: the snapshot filtered to what the caller may see, summed per row.

type Scope = { all: true } | { all: false; codes: string[] };

function covers(scope: Scope, regencyCode: string): boolean {
  return scope.all || scope.codes.some((c) => regencyCode === c || regencyCode.startsWith(`${c}.`));
}

interface Row {
  code: string;
  name: string;
  activeMembers: number;
  pendingMembers: number;
  fresh: number;
  activeCommunities: number;
  pendingCommunities: number;
  chapters: number;
  regencies: number;
}

interface View {
  level: 'province' | 'regency';
  region: { code: string; name: string } | null;
  rows: Row[];
  total: Row;
  memberSubsectors: Map<string, number>;
  communitySubsectors: Map<string, number>;
}

function emptyRow(code: string, name: string): Row {
  return { code, name, activeMembers: 0, pendingMembers: 0, fresh: 0, activeCommunities: 0, pendingCommunities: 0, chapters: 0, regencies: 0 };
}

function addTo(row: Row, r: RegencyStats, months: number) {
  row.activeMembers += r.activeMembers;
  row.pendingMembers += r.pendingMembers;
  row.fresh += r.freshUpTo[months];
  row.activeCommunities += r.activeCommunities;
  row.pendingCommunities += r.pendingCommunities;
  row.chapters += r.chapter ? 1 : 0;
  row.regencies += 1;
}

function buildView(s: Snapshot, scope: Scope, province: string | null, months: number): View {
  const rows = new Map<string, Row>();
  const total = emptyRow('', '');
  const memberSubsectors = new Map<string, number>();
  const communitySubsectors = new Map<string, number>();
  for (const r of s.regencies) {
    if (province && r.province !== province) continue;
    if (!covers(scope, r.code)) continue;
    const key = province ? r.code : r.province;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow(key, province ? r.name : (s.provinces.get(r.province) ?? r.province))));
    addTo(row, r, months);
    addTo(total, r, months);
    for (const [code, n] of r.memberSubsectors) memberSubsectors.set(code, (memberSubsectors.get(code) ?? 0) + n);
    for (const [code, n] of r.communitySubsectors) communitySubsectors.set(code, (communitySubsectors.get(code) ?? 0) + n);
  }
  return {
    level: province ? 'regency' : 'province',
    region: province ? { code: province, name: s.provinces.get(province) ?? province } : null,
    rows: [...rows.values()],
    total,
    memberSubsectors,
    communitySubsectors,
  };
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

function checkProvince(s: Snapshot, region: string) {
  if (region.includes('.')) throw AppError.invalid({ path: 'region', code: 'not_a_province_code', params: { code: region } });
  if (!s.provinces.has(region)) throw AppError.invalid({ path: 'region', code: 'unknown_region', params: { code: region } });
}

function coverage(v: View) {
  return { regenciesWithChapter: v.total.chapters, regencies: v.total.regencies, share: ratio(v.total.chapters, v.total.regencies) ?? 0 };
}

/**
 * The coordinators' dashboard. National admins see everything; coordinators the provinces and
 * regencies they hold `registry.read` in (counts outside are left out, not zeroed); anyone else
 * is refused. Without `region`, a coordinator whose scope lies in one province starts at it.
 */
export async function registryDashboard(
  db: Queryable,
  actor: Actor | null,
  input: { region?: string; months: number },
): Promise<DashboardResponse> {
  const a = requireActor(actor);
  const filter = regionFilter(a, 'registry.read');
  if (filter.kind === 'none') throw new AppError('forbidden');
  const scope: Scope = filter.kind === 'all' ? { all: true } : { all: false, codes: filter.codes };

  const s = await snapshotsFor(db).get();
  let province: string | null = input.region ?? null;
  if (province) {
    checkProvince(s, province);
    if (!scope.all && !scope.codes.some((c) => c.slice(0, 2) === province)) throw new AppError('out_of_scope', { region: province });
  } else if (!scope.all) {
    const provinces = new Set(scope.codes.map((c) => c.slice(0, 2)));
    if (provinces.size === 1) province = [...provinces][0];
  }

  const v = buildView(s, scope, province, input.months);
  return {
    generatedAt: s.takenAt.toISOString(),
    level: v.level,
    region: v.region,
    totals: {
      members: { active: v.total.activeMembers, pending: v.total.pendingMembers },
      communities: { active: v.total.activeCommunities, pending: v.total.pendingCommunities },
      chapters: v.total.chapters,
    },
    coverage: coverage(v),
    freshness: { months: input.months, fresh: v.total.fresh, active: v.total.activeMembers, share: ratio(v.total.fresh, v.total.activeMembers) },
    rows: v.rows.map((r) => ({
      code: r.code,
      name: r.name,
      members: r.activeMembers,
      pendingMembers: r.pendingMembers,
      communities: r.activeCommunities,
      chapters: r.chapters,
      chapter: r.chapters > 0,
      regencies: r.regencies,
      freshShare: ratio(r.fresh, r.activeMembers),
    })),
    subsectors: SUBSECTORS.map((sub) => ({
      code: sub.code,
      name: sub.nameId,
      nameEn: sub.nameEn,
      members: v.memberSubsectors.get(sub.code) ?? 0,
      communities: v.communitySubsectors.get(sub.code) ?? 0,
    })),
  };
}

/** "<5" for 1–4 people: a count of people that small, next to a place and a subsector, could single someone out. */
function suppress(n: number): number | '<5' {
  return n > 0 && n < SUPPRESS_BELOW ? '<5' : n;
}

/**
 * The public summary: active members, communities and chapters nationally or in one province,
 * with member counts from 1 to 4 suppressed. Totals are exact; they are large sums of many
 * regencies, and a count alone names no one.
 */
export async function publicRegistrySummary(db: Queryable, input: { region?: string }): Promise<PublicSummaryResponse> {
  const s = await snapshotsFor(db).get();
  if (input.region) checkProvince(s, input.region);
  const v = buildView(s, { all: true }, input.region ?? null, 0);
  return {
    generatedAt: s.takenAt.toISOString(),
    level: v.level,
    region: v.region,
    totals: { members: v.total.activeMembers, communities: v.total.activeCommunities, chapters: v.total.chapters },
    coverage: coverage(v),
    rows: v.rows.map((r) => ({
      code: r.code,
      name: r.name,
      members: suppress(r.activeMembers),
      communities: r.activeCommunities,
      chapters: r.chapters,
      chapter: r.chapters > 0,
    })),
    subsectors: SUBSECTORS.map((sub) => ({
      code: sub.code,
      name: sub.nameId,
      nameEn: sub.nameEn,
      members: suppress(v.memberSubsectors.get(sub.code) ?? 0),
      communities: v.communitySubsectors.get(sub.code) ?? 0,
    })),
  };
}
