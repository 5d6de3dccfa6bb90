import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { isSubsectorCode, SUBSECTORS } from './data.ts';

describe('the subsector list', () => {
  it('has the 17 official subsectors in the official order', () => {
    expect(SUBSECTORS.map((s) => s.nameId)).toEqual([
      'Aplikasi',
      'Pengembang Permainan',
      'Arsitektur',
      'Desain Interior',
      'Desain Komunikasi Visual',
      'Desain Produk',
      'Fesyen',
      'Film, Animasi, dan Video',
      'Fotografi',
      'Kriya',
      'Kuliner',
      'Musik',
      'Penerbitan',
      'Periklanan',
      'Seni Pertunjukan',
      'Seni Rupa',
      'Televisi dan Radio',
    ]);
    expect(SUBSECTORS.map((s) => s.nameEn)).toEqual([
      'Apps',
      'Game Development',
      'Architecture',
      'Interior Design',
      'Visual Communication Design',
      'Product Design',
      'Fashion',
      'Film, Animation and Video',
      'Photography',
      'Crafts',
      'Culinary',
      'Music',
      'Publishing',
      'Advertising',
      'Performing Arts',
      'Fine Arts',
      'Television and Radio',
    ]);
  });

  it('codes each subsector with the slug of its Indonesian name', () => {
    for (const s of SUBSECTORS) {
      expect(s.code).toBe(s.nameId.toLowerCase().replace(/[^a-z]+/g, '-'));
    }
    expect(isSubsectorCode('kuliner')).toBe(true);
    expect(isSubsectorCode('Kuliner')).toBe(false);
  });
});

describe('GET /api/subsectors', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await createTestSystem();
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('lists the 17 subsectors from the database in the official order, without a login', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/api/subsectors' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items).toHaveLength(17);
    expect(items).toEqual(SUBSECTORS.map((s) => ({ ...s })));
    expect(items[7]).toEqual({ code: 'film-animasi-dan-video', nameId: 'Film, Animasi, dan Video', nameEn: 'Film, Animation and Video' });
  });
});
