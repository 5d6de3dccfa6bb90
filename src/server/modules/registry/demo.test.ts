import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../../test/system.ts';
import { parseNik } from '../../../lib/nik/index.ts';
import { normalizePhone } from '../../../lib/phone/index.ts';
import type { Engine } from '../../platform/db.ts';
import { DemoRefusedError, seedDemoData, type DemoOptions, type DemoReport } from './demo.ts';

type TestEngine = Awaited<ReturnType<typeof createTestEngine>>;

const NOW = new Date('2026-11-01T03:00:00Z');
const SMALL: DemoOptions = { chapters: 20, communities: 200, members: 2000, seed: 'uji-kecil', now: NOW };

let engine: TestEngine;
let report: DemoReport;
beforeAll(async () => {
  engine = await createTestEngine();
  report = await seedDemoData(engine, SMALL);
});
afterAll(async () => {
  await engine?.dispose();
});

const count = async (e: Engine, query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(e.db)).rows[0].n);

describe('demo data, small', () => {
  it('has the numbers asked for, and reports them', async () => {
    expect(report).toMatchObject({ chapters: 20, communities: 200, members: 2000 });
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM chapters`)).toBe(20);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM communities`)).toBe(200);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM members WHERE source = 'demo'`)).toBe(2000);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM member_subsectors`)).toBe(report.memberSubsectors);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM member_communities`)).toBe(report.memberCommunities);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM partners`)).toBe(report.partners);
    const types = await sql<{ type: string }>`SELECT DISTINCT type FROM partners ORDER BY type`.execute(engine.db);
    expect(types.rows.map((r) => r.type)).toEqual(['academia', 'aggregator', 'business', 'community', 'government', 'media']);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM partner_agreements`)).toBe(report.agreements);
  });

  it('gives every member and community at least one subsector, and every member a search name', async () => {
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_subsectors s WHERE s.member_id = m.id)`)).toBe(0);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM communities c WHERE NOT EXISTS (SELECT 1 FROM community_subsectors s WHERE s.community_id = c.id)`)).toBe(0);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM members WHERE search_name = '' OR cardinality(skills) = 0`)).toBe(0);
  });

  it('writes NIKs that parse, are unique, and agree with the member’s district, birth date and gender', async () => {
    const rows = await engine.db
      .selectFrom('members')
      .select(['nik', 'gender', 'birth_date', 'regency_code', 'district_code'])
      .where('nik', 'is not', null)
      .execute();
    expect(rows.length).toBeGreaterThan(1500);
    const known = new Set(
      (await engine.db.selectFrom('regions').select('code').where('level', 'in', [2, 3]).execute()).map((r) => r.code),
    );
    const failures: string[] = [];
    for (const r of rows) {
      const parsed = parseNik(r.nik!, { today: NOW, knownRegion: (code) => known.has(code) });
      if (!parsed.ok) failures.push(`${r.nik}: ${parsed.errors.join(',')}`);
      else if (
        parsed.warnings.length ||
        parsed.value.sex !== r.gender ||
        parsed.value.birthDate !== r.birth_date ||
        parsed.value.regencyCode !== r.regency_code ||
        parsed.value.districtCode !== r.district_code ||
        parsed.value.serial === '0000'
      ) {
        failures.push(`${r.nik}: disagrees with ${JSON.stringify(r)} (${parsed.warnings.join(',')})`);
      }
    }
    expect(failures).toEqual([]);
    expect(new Set(rows.map((r) => r.nik)).size).toBe(rows.length);
  });

  it('puts districts inside their regency, for members and communities', async () => {
    for (const table of ['members', 'communities'] as const) {
      const outside = await count(
        engine,
        sql`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE district_code IS NOT NULL AND district_code NOT LIKE regency_code || '.%'`,
      );
      expect(outside, table).toBe(0);
    }
  });

  it('uses phone numbers in E.164 mobile format and e-mail addresses that reach no one', async () => {
    const members = await engine.db.selectFrom('members').select(['phone', 'email']).execute();
    const communities = await engine.db.selectFrom('communities').select(['contact_phone as phone', 'contact_email as email']).execute();
    for (const { phone, email } of [...members, ...communities]) {
      if (phone) expect(normalizePhone(phone)).toEqual({ ok: true, e164: phone, mobile: true });
      if (email) expect(email).toMatch(/@(example\.(com|net|org)|[a-z0-9-]+\.example)$/);
    }
    expect(members.filter((m) => m.phone).length).toBeGreaterThan(1800);
  });

  it('is mostly active with some pending, verified over the last 24 months, born 1960–2006', async () => {
    const byStatus = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM members GROUP BY status`.execute(engine.db);
    const n = Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]));
    expect(n.active).toBeGreaterThan(1600);
    expect(n.pending).toBeGreaterThan(50);
    const range = await sql<{ oldest: string; newest: string; first_born: string; last_born: string }>`
      SELECT min(verified_at)::text AS oldest, max(verified_at)::text AS newest, min(birth_date)::text AS first_born, max(birth_date)::text AS last_born
      FROM members WHERE status = 'active'`.execute(engine.db);
    const { oldest, newest, first_born, last_born } = range.rows[0];
    expect(new Date(oldest).getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 731 * 86_400_000);
    expect(new Date(newest).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(first_born >= '1960-01-01' && last_born <= '2006-12-31').toBe(true);
    // Both halves of the 24 months are well filled, so freshness per region means something.
    const fresh = await count(engine, sql`SELECT count(*)::int AS n FROM members WHERE status = 'active' AND verified_at >= ${NOW.toISOString()}::timestamptz - interval '12 months'`);
    expect(fresh / n.active).toBeGreaterThan(0.3);
    expect(fresh / n.active).toBeLessThan(0.9);
  });

  it('links members to communities of their own regency, with one leader per community at most', async () => {
    expect(
      await count(engine, sql`SELECT count(*)::int AS n FROM member_communities mc JOIN members m ON m.id = mc.member_id JOIN communities c ON c.id = mc.community_id WHERE m.regency_code <> c.regency_code`),
    ).toBe(0);
    expect(
      await count(engine, sql`SELECT count(*)::int AS n FROM (SELECT community_id FROM member_communities WHERE role = 'leader' GROUP BY 1 HAVING count(*) > 1) x`),
    ).toBe(0);
  });

  it('names communities after what they do', async () => {
    const rows = await sql<{ name: string; subsectors: string[] }>`
      SELECT c.name, array_agg(s.subsector_code) AS subsectors
      FROM communities c JOIN community_subsectors s ON s.community_id = c.id GROUP BY c.id, c.name`.execute(engine.db);
    const rules: [RegExp, string][] = [
      [/Fotografi|Klub Foto|Lensa|Photography|Fotografer/, 'fotografi'],
      [/Sanggar Tari|Teater|Wayang/, 'seni-pertunjukan'],
      [/Kriya|Perajin|Kerajinan|Gerabah|Anyaman|Ukir/, 'kriya'],
      [/Kuliner|Kopi|Barista|Pangan|Jajanan/, 'kuliner'],
    ];
    let checked = 0;
    for (const r of rows.rows) {
      for (const [pattern, code] of rules) {
        if (pattern.test(r.name)) {
          checked++;
          expect(r.subsectors, r.name).toContain(code);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(new Set(rows.rows.map((r) => r.name.toLowerCase())).size).toBe(rows.rows.length);
  });

  it('refuses to run again on a registry that has members, and changes nothing', async () => {
    await expect(seedDemoData(engine, SMALL)).rejects.toBeInstanceOf(DemoRefusedError);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM members`)).toBe(2000);
    expect(await count(engine, sql`SELECT count(*)::int AS n FROM communities`)).toBe(200);
  });
});

describe('demo data, determinism and spread', () => {
  async function snapshot(e: Engine) {
    const members = await sql`
      SELECT full_name, search_name, nik, phone, email, gender, birth_date, regency_code, district_code, skills, portfolio_links,
        status, verified_at, created_at FROM members ORDER BY id`.execute(e.db);
    const communities = await sql`
      SELECT name, regency_code, district_code, legal_status, founding_year, social_links, contact_phone, status, verified_at
      FROM communities ORDER BY id`.execute(e.db);
    const links = await sql`SELECT * FROM member_communities ORDER BY member_id, community_id`.execute(e.db);
    return JSON.stringify([members.rows, communities.rows, links.rows]);
  }

  it('gives the same rows for the same seed, and others for another seed', async () => {
    const again = await createTestEngine();
    const other = await createTestEngine();
    try {
      await seedDemoData(again, SMALL);
      await seedDemoData(other, { ...SMALL, seed: 'lain' });
      const first = await snapshot(engine);
      expect(await snapshot(again)).toBe(first);
      expect(await snapshot(other)).not.toBe(first);
    } finally {
      await again.dispose();
      await other.dispose();
    }
  });

  it('spreads 300 chapters over all 38 provinces, weighted towards Java and Bali', async () => {
    const e = await createTestEngine();
    try {
      await seedDemoData(e, { chapters: 300, communities: 100, members: 500, seed: 'sebaran', now: NOW });
      const perProvince = await sql<{ province: string; n: number }>`
        SELECT left(regency_code, 2) AS province, count(*)::int AS n FROM chapters GROUP BY 1`.execute(e.db);
      expect(perProvince.rows.length).toBe(38);
      const javaBali = perProvince.rows.filter((r) => /^(3[1-6]|51)$/.test(r.province)).reduce((s, r) => s + r.n, 0);
      // Java and Bali hold 128 of the 514 regencies (25 %); most of them have a chapter.
      expect(javaBali).toBeGreaterThan(100);
      expect(await count(e, sql`SELECT count(*)::int AS n FROM chapters WHERE regency_code IN ('32.73', '34.71', '51.71', '35.78')`)).toBe(4);
    } finally {
      await e.dispose();
    }
  });
});
