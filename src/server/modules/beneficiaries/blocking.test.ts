import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { normalizeName, phoneticKeyOfNormalized } from '../../../lib/linkage/index.ts';
import { blockingCandidates, insertRecord } from './repository.ts';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(async () => {
  await sys?.close();
});

let serial = 0;
async function seed(over: { fullName: string; nik?: string | null; birthDate?: string | null; regencyCode?: string }) {
  const person = await sql<{ id: number }>`INSERT INTO persons (status) VALUES ('active') RETURNING id`.execute(sys.ctx.db);
  const searchName = normalizeName(over.fullName);
  return insertRecord(sys.ctx.db, {
    person_id: Number(person.rows[0].id),
    household_id: null,
    source_kind: 'programme',
    source_ref: 'BLOCKING-TEST',
    external_id: `b-${++serial}`,
    full_name: over.fullName,
    search_name: searchName,
    phonetic_key: phoneticKeyOfNormalized(searchName),
    nik: over.nik ?? null,
    kk: null,
    birth_date: over.birthDate ?? null,
    sex: 'L',
    regency_code: over.regencyCode ?? '32.73',
    district_code: null,
    address: null,
    phone: null,
    consent_purpose: 'programmes',
    consent_text_version: 1,
    consented_at: new Date(),
    link_outcome: 'new',
    link_probability: null,
    idempotency_key: null,
    request_hash: null,
    created_by: null,
  });
}

const keysOf = (fullName: string, nik: string | null, birthDate: string | null) => {
  const searchName = normalizeName(fullName);
  return { nik, kk: null, searchName, birthDate, phoneticKey: phoneticKeyOfNormalized(searchName), regencyCode: '32.73' };
};

describe('blocking a new record against the registry', () => {
  it('a crowded name block never hides the record with the same NIK, and its closest birth dates come first', async () => {
    // 250 namesakes in one city, born over 250 days of 1990, registered before the real match.
    const start = Date.UTC(1990, 0, 1);
    for (let i = 0; i < 250; i++) {
      await seed({ fullName: 'Muhammad Rizki', birthDate: new Date(start + i * 86_400_000).toISOString().slice(0, 10) });
    }
    // The man himself, registered last by another programme in another city, his name in an old spelling.
    const match = await seed({ fullName: 'Moch. Rizky', nik: '3273011505900001', birthDate: '1990-05-15', regencyCode: '32.04' });

    const found = await blockingCandidates(sys.ctx.db, keysOf('Muhammad Rizki', '3273011505900001', '1990-08-20'), 200);
    const ids = found.map((r) => r.id);
    expect(ids).toContain(match);
    const namesakes = found.filter((r) => r.id !== match);
    expect(namesakes).toHaveLength(200);
    // The 200 nearest to 20 August 1990 in a block of 1 Jan – 7 Sep: nobody born in January.
    const dates = namesakes.map((r) => String(r.birth_date).slice(0, 10)).sort();
    expect(dates[0] >= '1990-02-01').toBe(true);
    expect(dates).toContain('1990-08-20');
    expect(dates.at(-1)).toBe('1990-09-07');
  });

  it('a record without a birth date still blocks by name and region, by registration order', async () => {
    const found = await blockingCandidates(sys.ctx.db, keysOf('Muhammad Rizki', null, null), 10);
    expect(found).toHaveLength(10);
    expect(found.map((r) => r.id)).toEqual([...found.map((r) => r.id)].sort((a, b) => a - b));
  });
});
