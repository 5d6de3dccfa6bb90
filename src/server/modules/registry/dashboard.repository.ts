/**
 * SQL of the registry dashboard: counts per regency, nothing personal. Every query groups by
 * `regency_code` over the whole table (a sequential scan is the cheapest way to count every row);
 * provinces are the first two characters of a regency code, summed in the service.
 */
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db.ts';

/** Freshness buckets: whole calendar months since `verified_at`, 0..MAX_MONTHS (MAX_MONTHS: that long ago or longer); never verified: NEVER. */
export const MAX_MONTHS = 60;
export const NEVER = MAX_MONTHS + 1;

export interface RegionName {
  code: string;
  name: string;
  level: number;
}

export interface MemberCountRow {
  regency_code: string;
  status: 'active' | 'pending';
  /** Whole calendar months since the member's data was last confirmed (active members), NEVER otherwise. */
  months: number;
  n: number;
}

export interface SubsectorCountRow {
  regency_code: string;
  subsector_code: string;
  n: number;
}

export interface CommunityCountRow {
  regency_code: string;
  status: 'active' | 'pending';
  n: number;
}

export interface DashboardData {
  regions: RegionName[];
  members: MemberCountRow[];
  memberSubsectors: SubsectorCountRow[];
  communities: CommunityCountRow[];
  communitySubsectors: SubsectorCountRow[];
  chapterRegencies: string[];
  /** The database's clock when the counts were taken (freshness is measured from it). */
  takenAt: Date;
}

/** Every count the dashboard shows, taken in one read-only snapshot so the figures agree with each other. */
export async function loadDashboardData(db: Queryable): Promise<DashboardData> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const regions = await sql<RegionName>`
        SELECT code, name, level FROM regions WHERE level <= 2 ORDER BY code`.execute(tx);
      // Calendar months, as "verified within the last N months" means (verified_at >= now() - N months):
      // thresholds[k] = now() - (MAX_MONTHS + 1 - k) months, ascending, so width_bucket() (a binary
      // search) gives MAX_MONTHS for "in the last month" and 0 for "longer ago than MAX_MONTHS".
      const members = await sql<MemberCountRow>`
        WITH t AS (
          SELECT ARRAY(SELECT now() - make_interval(months => m) FROM generate_series(${MAX_MONTHS}, 1, -1) AS m) AS thresholds
        )
        SELECT regency_code, status,
          CASE WHEN status = 'active' AND verified_at IS NOT NULL
            THEN ${MAX_MONTHS} - width_bucket(verified_at, t.thresholds)
            ELSE ${NEVER} END AS months,
          count(*)::int AS n
        FROM members, t
        WHERE status IN ('active', 'pending')
        GROUP BY 1, 2, 3`.execute(tx);
      const memberSubsectors = await sql<SubsectorCountRow>`
        SELECT m.regency_code, s.subsector_code, count(*)::int AS n
        FROM member_subsectors s JOIN members m ON m.id = s.member_id
        WHERE m.status = 'active'
        GROUP BY 1, 2`.execute(tx);
      const communities = await sql<CommunityCountRow>`
        SELECT regency_code, status, count(*)::int AS n
        FROM communities
        WHERE status IN ('active', 'pending')
        GROUP BY 1, 2`.execute(tx);
      const communitySubsectors = await sql<SubsectorCountRow>`
        SELECT c.regency_code, s.subsector_code, count(*)::int AS n
        FROM community_subsectors s JOIN communities c ON c.id = s.community_id
        WHERE c.status = 'active'
        GROUP BY 1, 2`.execute(tx);
      const chapters = await sql<{ regency_code: string }>`
        SELECT regency_code FROM chapters WHERE status = 'active'`.execute(tx);
      const clock = await sql<{ now: Date }>`SELECT now() AS now`.execute(tx);
      return {
        regions: regions.rows,
        members: members.rows,
        memberSubsectors: memberSubsectors.rows,
        communities: communities.rows,
        communitySubsectors: communitySubsectors.rows,
        chapterRegencies: chapters.rows.map((r) => r.regency_code),
        takenAt: new Date(clock.rows[0].now),
      };
    });
}
