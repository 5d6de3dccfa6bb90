import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { loadReferenceData } from '../reference.ts';
import { countRegionsByLevel } from './repository.ts';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(async () => {
  await sys?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => sys.app.inject({ method: 'GET', url, headers });

async function search(q: string, extra = '') {
  const res = await get(`/api/regions/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { code: string; name: string; level: number; parentCode: string | null; path: string; score: number }[];
}

describe('loaded reference data', () => {
  it('has every region of idn-area-data 4.0.1', async () => {
    expect(await countRegionsByLevel(sys.ctx.db)).toEqual({ 1: 38, 2: 514, 3: 7285, 4: 83762 });
  });

  it('records what it loaded in system_state', async () => {
    const row = await sys.ctx.db.selectFrom('system_state').select('value').where('key', '=', 'reference_data').executeTakeFirstOrThrow();
    expect(row.value).toMatchObject({
      idnAreaData: '4.0.1',
      counts: { provinces: 38, regencies: 514, districts: 7285, villages: 83762, subsectors: 17 },
    });
  });

  it('keeps the indexes the migrations declared, after rebuilding them on the first load', async () => {
    const indexes = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes WHERE tablename = 'regions' ORDER BY indexname`.execute(sys.ctx.db);
    expect(indexes.rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining(['regions_level_idx', 'regions_parent_idx', 'regions_pkey', 'regions_search_trgm_idx']),
    );
  });

  it('does nothing on a second start', async () => {
    const report = await loadReferenceData(sys.engine);
    expect(report.loaded).toBe(false);
    expect(report.summary).toBe('38 provinces, 514 regencies, 7285 districts, 83762 villages, 17 subsectors');
    expect(await countRegionsByLevel(sys.ctx.db)).toEqual({ 1: 38, 2: 514, 3: 7285, 4: 83762 });
  });
});

describe('reloading when what ships changes', () => {
  it('updates in place, removes retired regions, and keeps the ones other data still refers to', async () => {
    const fresh = await createTestSystem();
    try {
      const db = fresh.ctx.db;
      await db.insertInto('regions').values([
        { code: '98', parent_code: null, level: 1, name: 'Retired Province', search_name: 'retired province', lat: null, lng: null },
        { code: '98.01', parent_code: '98', level: 2, name: 'Kota Retired', search_name: 'kota retired', lat: null, lng: null },
        { code: '99', parent_code: null, level: 1, name: 'Referenced Province', search_name: 'referenced province', lat: null, lng: null },
      ]).execute();
      await db.updateTable('regions').set({ name: 'Kota Bandoeng', search_name: 'x' }).where('code', '=', '32.73').execute();
      await sql`INSERT INTO users (email, name, region_code, password_hash) VALUES ('lama@example.org', 'Lama', '99', 'x')`.execute(db);
      await db.deleteFrom('system_state').where('key', '=', 'reference_data').execute();

      const report = await loadReferenceData(fresh.engine);
      expect(report.loaded).toBe(true);
      expect(report.summary).toContain('1 retired entries kept');

      const codes = (await db.selectFrom('regions').select('code').where('code', 'in', ['98', '98.01', '99']).execute()).map((r) => r.code);
      expect(codes).toEqual(['99']);
      expect(await db.selectFrom('regions').select(['name', 'search_name']).where('code', '=', '32.73').executeTakeFirst()).toEqual({
        name: 'Kota Bandung',
        search_name: 'kota bandung',
      });
      expect(await countRegionsByLevel(db)).toEqual({ 1: 39, 2: 514, 3: 7285, 4: 83762 });
      expect((await loadReferenceData(fresh.engine)).loaded).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});

describe('GET /api/regions', () => {
  it('lists the provinces by default, sorted by code', async () => {
    const res = await get('/api/regions');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(38);
    expect(body.items[0]).toEqual({ code: '11', name: 'Aceh', level: 1, parentCode: null });
    expect(body.items.map((r: { code: string }) => r.code)).toEqual([...body.items.map((r: { code: string }) => r.code)].sort());
  });

  it('lists the children of a region', async () => {
    const body = (await get('/api/regions?parent=32')).json();
    expect(body.total).toBe(27);
    expect(body.items[0]).toEqual({ code: '32.01', name: 'Kabupaten Bogor', level: 2, parentCode: '32' });
    expect(body.items.find((r: { code: string }) => r.code === '32.73')).toMatchObject({ name: 'Kota Bandung' });
  });

  it('pages with limit and offset, and gives the total', async () => {
    const page = (await get('/api/regions?level=2&limit=10&offset=510')).json();
    expect(page.total).toBe(514);
    expect(page.items).toHaveLength(4);
  });

  it('lists the descendants of a region at a level', async () => {
    const body = (await get('/api/regions?parent=32.73&level=4&limit=1000')).json();
    expect(body.items.length).toBe(body.total);
    expect(body.total).toBeGreaterThan(100);
    expect(body.items.every((r: { code: string; level: number }) => r.code.startsWith('32.73.') && r.level === 4)).toBe(true);
  });

  it('answers 404 for an unknown parent and 400 for a malformed one', async () => {
    expect((await get('/api/regions?parent=32.99')).statusCode).toBe(404);
    const bad = await get('/api/regions?parent=32.7');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
    expect((await get('/api/regions?level=5')).statusCode).toBe(400);
  });
});

describe('GET /api/regions/search', () => {
  it('"kab bandung" finds Kabupaten Bandung first', async () => {
    const items = await search('kab bandung');
    expect(items[0]).toMatchObject({ code: '32.04', name: 'Kabupaten Bandung', level: 2, parentCode: '32', path: 'Kabupaten Bandung, Jawa Barat', score: 1 });
  });

  it('"KOTA BANDUNG" finds Kota Bandung first', async () => {
    expect((await search('KOTA BANDUNG'))[0]).toMatchObject({ code: '32.73', path: 'Kota Bandung, Jawa Barat' });
  });

  it('"bandung barat" finds Kabupaten Bandung Barat first', async () => {
    expect((await search('bandung barat'))[0].code).toBe('32.17');
  });

  it('forgives a typo: "kab bandng" has Kabupaten Bandung in the top 3', async () => {
    const items = await search('kab bandng');
    expect(items.slice(0, 3).map((r) => r.code)).toContain('32.04');
  });

  it.each([
    ['kota bandng', '32.73'],
    ['bandung barst', '32.17'],
    ['kab sukabumii', '32.02'],
    ['tanjung priuk', '31.72.02'],
  ])('forgives a typo: "%s" finds %s first', async (q, code) => {
    expect((await search(q))[0].code).toBe(code);
  });

  it('finds while the name is still being typed', async () => {
    expect((await search('kab band')).map((r) => r.code).slice(0, 2)).toEqual(['32.04', '32.17']);
    expect((await search('sura')).map((r) => r.code)).toContain('35.78');
  });

  it('forgives a typo: "surabya" finds Kota Surabaya', async () => {
    const items = await search('surabya');
    expect(items[0]).toMatchObject({ code: '35.78', name: 'Kota Surabaya' });
  });

  it.each(['yogyakarta', 'djogjakarta', 'jogja', 'Jogjakarta'])('"%s" finds Kota Yogyakarta and DI Yogyakarta', async (q) => {
    const codes = (await search(q)).map((r) => r.code);
    expect(codes).toContain('34.71');
    expect(codes.some((c) => c === '34' || c.startsWith('34.'))).toBe(true);
  });

  it('matches old spellings: Soerabaja, Tjilatjap, Bandoeng', async () => {
    expect((await search('Soerabaja'))[0].code).toBe('35.78');
    expect((await search('Tjilatjap'))[0].code).toBe('33.01');
    expect((await search('Bandoeng')).slice(0, 2).map((r) => r.code).sort()).toEqual(['32.04', '32.73']);
  });

  it('puts regencies before districts and villages of the same name', async () => {
    const items = await search('malang');
    expect(items.slice(0, 2).map((r) => r.code).sort()).toEqual(['35.07', '35.73']);
    const exact = items.filter((r) => r.score === 1).map((r) => r.level);
    expect(exact).toEqual([...exact].sort((a, b) => a - b));
  });

  it('honours a level named in the query, and a level filter', async () => {
    const districts = await search('kecamatan bandung');
    expect(districts[0]).toMatchObject({ level: 3, name: 'Bandung' });
    const villages = await search('sukamaju', '&level=4');
    expect(villages.length).toBeGreaterThan(0);
    expect(villages.every((r) => r.level === 4)).toBe(true);
  });

  it('gives the full path of a village', async () => {
    const [hit] = await search('coblong', '&level=3');
    expect(hit).toMatchObject({ code: '32.73.02', path: 'Coblong, Kota Bandung, Jawa Barat' });
  });

  it('searches beneath a parent only', async () => {
    const items = await search('sukamaju', '&parent=32.04&limit=50');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((r) => r.code.startsWith('32.04.'))).toBe(true);
  });

  it('respects the limit and rejects a query shorter than 2 characters or a limit over 50', async () => {
    expect(await search('bandung', '&limit=3')).toHaveLength(3);
    expect((await get('/api/regions/search?q=b')).statusCode).toBe(400);
    expect((await get('/api/regions/search?q=bandung&limit=51')).statusCode).toBe(400);
    expect(await search('--')).toEqual([]);
  });
});

describe('GET /api/regions/:code', () => {
  it('returns a regency with its centroid, ancestors and number of children', async () => {
    const res = await get('/api/regions/32.73');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ code: '32.73', name: 'Kota Bandung', level: 2, parentCode: '32', ancestors: [{ code: '32', name: 'Jawa Barat', level: 1 }] });
    expect(body.childCount).toBe(30);
    expect(body.lat).toBeCloseTo(-6.9, 0);
    expect(body.lng).toBeCloseTo(107.6, 0);
  });

  it('returns a village with every ancestor, province first', async () => {
    const body = (await get('/api/regions/32.73.02.1001')).json();
    expect(body.ancestors.map((a: { code: string }) => a.code)).toEqual(['32', '32.73', '32.73.02']);
    expect(body).toMatchObject({ level: 4, childCount: 0, lat: null, lng: null });
  });

  it('answers an unknown code with a problem in Indonesian, or in English when asked', async () => {
    const res = await get('/api/regions/32.99');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'not_found', status: 404, detail: 'Data tidak ditemukan.' });
    const en = await get('/api/regions/32.99', { 'accept-language': 'en' });
    expect(en.json()).toMatchObject({ code: 'not_found', detail: 'Not found.' });
  });

  it('rejects a malformed code', async () => {
    const res = await get('/api/regions/32.7x');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });
});

describe('boundaries and attribution', () => {
  it('serves the provinces as GeoJSON with strong caching', async () => {
    const res = await get('/api/geo/provinces');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers['content-encoding']).toBeUndefined();
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(38);
    expect(body.attribution).toContain('cahyadsn/wilayah_boundaries');
  });

  it('sends gzip to a client that accepts it, and 304 when the client has it already', async () => {
    const res = await get('/api/geo/provinces', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBeLessThan(40_000);
    expect(JSON.parse(zlib.gunzipSync(res.rawPayload).toString()).features).toHaveLength(38);
    const again = await get('/api/geo/provinces', { 'accept-encoding': 'gzip', 'if-none-match': res.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('serves the regencies of one province, or all of them', async () => {
    const west = (await get('/api/geo/regencies?province=32')).json();
    expect(west.features).toHaveLength(27);
    expect(west.features.every((f: { properties: { code: string } }) => f.properties.code.startsWith('32.'))).toBe(true);
    expect((await get('/api/geo/regencies')).json().features).toHaveLength(514);
    expect((await get('/api/geo/regencies?province=99')).statusCode).toBe(404);
    expect((await get('/api/geo/regencies?province=3')).statusCode).toBe(400);
  });

  it('serves the attribution the licences require', async () => {
    const body = (await get('/api/regions/attribution')).json();
    expect(body.items.map((a: { license: string }) => a.license)).toEqual(['ODbL-1.0', 'MIT']);
    expect(body.text).toContain('idn-area-data');
    expect(body.text).toContain('Administrative boundaries: cahyadsn/wilayah_boundaries, MIT License, Copyright (c) 2024 Cahya DSN.');
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const res = await get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/regions', '/api/regions/search', '/api/regions/{code}', '/api/geo/provinces', '/api/subsectors']));
  });
});
