import i18next from 'i18next';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../i18n/en.ts';
import id from '../../i18n/id.ts';
import * as dashboardExtra from '../../i18n/parts/dashboardExtra.ts';
import * as fixes from '../../i18n/parts/fixes.ts';
import { RegionMap, type RegionCollection } from '../regions/RegionMap.tsx';
import { countScale, DashboardPanels, NONE_COLOUR } from './DashboardPanels.tsx';
import { FreshnessControls } from './FreshnessControls.tsx';
import { freshnessScale, parseMapMode, parseMonths, rowsForMap, type DashboardData } from './freshness.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    lng: 'id',
    resources: {
      id: { translation: { ...id, ...fixes.id, ...dashboardExtra.id } },
      en: { translation: { ...en, ...fixes.en, ...dashboardExtra.en } },
    },
    interpolation: { escapeValue: false },
  });
});

const render = async (lang: 'id' | 'en', element: ReactElement) => {
  await i18n.changeLanguage(lang);
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(MemoryRouter, null, element)));
};

/** The API's answer to a coordinator of `scope` asking without `region` (it starts them at province 32). */
function jawaBarat(rows: DashboardData['rows']): DashboardData {
  const active = rows.reduce((n, r) => n + r.members, 0);
  return {
    generatedAt: '2026-11-22T08:00:00.000Z',
    level: 'regency',
    region: { code: '32', name: 'Jawa Barat' },
    totals: { members: { active, pending: 4 }, communities: { active: 12, pending: 0 }, chapters: 2 },
    coverage: { regenciesWithChapter: 2, regencies: rows.length, share: 2 / rows.length },
    freshness: { months: 12, fresh: 3600, active, share: 0.72 },
    rows,
    subsectors: [],
  };
}
const row = (code: string, name: string, members: number, freshShare: number | null) => ({ code, name, members, pendingMembers: 0, freshShare });

describe('rowsForMap: the dashboard rows at the level of the map the page draws', () => {
  const province = jawaBarat([row('32.04', 'Kabupaten Bandung', 1400, 0.5), row('32.73', 'Kota Bandung', 3600, 0.8)]);

  it('a province coordinator on the national map: one row, their province with its total (not regency rows)', () => {
    expect(rowsForMap(province, 'province', true)).toEqual([{ code: '32', name: 'Jawa Barat', members: 5000, freshShare: 0.72, partial: false }]);
  });

  it('a regency coordinator on the national map: their province, marked as only their part of it', () => {
    const regency = jawaBarat([row('32.73', 'Kota Bandung', 3600, 0.8)]);
    expect(rowsForMap(regency, 'province', false)).toEqual([{ code: '32', name: 'Jawa Barat', members: 3600, freshShare: 0.72, partial: true }]);
  });

  it('on a province map the regency rows are used as they are', () => {
    expect(rowsForMap(province, 'regency', true).map((r) => [r.code, r.members, r.freshShare, r.partial])).toEqual([
      ['32.04', 1400, 0.5, false],
      ['32.73', 3600, 0.8, false],
    ]);
  });

  it('national rows are used on the national map and never on a province map (they would match no shape)', () => {
    const national: DashboardData = { ...province, level: 'province', region: null, rows: [row('32', 'Jawa Barat', 5000, 0.72), row('35', 'Jawa Timur', 0, null)] };
    expect(rowsForMap(national, 'province', false).map((r) => r.code)).toEqual(['32', '35']);
    expect(rowsForMap(national, 'regency', false)).toEqual([]);
  });
});

describe('freshness scale and the view parameters', () => {
  it('colours shares in quarters, "no active members" as none and "no figure" as nothing', () => {
    const s = freshnessScale();
    expect(s.steps.map((x) => x.label)).toEqual(['0–25%', '25–50%', '50–75%', '75–100%']);
    expect(s.colour(undefined)).toBeUndefined();
    expect(s.colour(null)).toBe(NONE_COLOUR);
    expect(s.colour(0)).toBe(s.steps[0].colour);
    expect(s.colour(0.2499)).toBe(s.steps[0].colour);
    expect(s.colour(0.25)).toBe(s.steps[1].colour);
    expect(s.colour(0.72)).toBe(s.steps[2].colour);
    expect(s.colour(1)).toBe(s.steps[3].colour);
  });

  it('accepts only the offered windows and map modes', () => {
    expect([null, '6', '12', '24', '7', 'x'].map(parseMonths)).toEqual([12, 6, 12, 24, 12, 12]);
    expect([null, 'kesegaran', 'anggota'].map(parseMapMode)).toEqual(['members', 'freshness', 'members']);
  });
});

describe('freshness on the dashboard panels and controls', () => {
  const summary = {
    generatedAt: '2026-11-22T08:00:00.000Z',
    totals: { members: 5000, pending: 4, communities: 12, chapters: 2 },
    coverage: { regenciesWithChapter: 2, regencies: 27, share: 2 / 27 },
    subsectors: [],
  };

  it('shows the overall share with its counts for coordinators, in Indonesian and English', async () => {
    const freshness = { months: 12, fresh: 3600, active: 5000, share: 0.72 };
    const idHtml = await render('id', createElement(DashboardPanels, { summary: { ...summary, freshness } }));
    expect(idHtml).toMatch(/data-stat="freshness".*72%.*data anggota dikonfirmasi dalam 12 bulan terakhir.*3\.600 dari 5\.000 anggota aktif/);
    const enHtml = await render('en', createElement(DashboardPanels, { summary: { ...summary, freshness: { ...freshness, months: 6 } } }));
    expect(enHtml).toMatch(/Data freshness.*72%.*of member data confirmed in the last 6 months.*3\.600 of 5\.000 active members/);
  });

  it('says so when there are no active members, and shows nothing on the public page (no freshness there)', async () => {
    const none = await render('id', createElement(DashboardPanels, { summary: { ...summary, freshness: { months: 12, fresh: 0, active: 0, share: null } } }));
    expect(none).toContain('Belum ada anggota aktif.');
    const publicHtml = await render('id', createElement(DashboardPanels, { summary }));
    expect(publicHtml).not.toContain('data-stat="freshness"');
    expect(publicHtml).not.toContain('Kesegaran');
  });

  it('offers 6, 12 and 24 months and two map colourings, with the chosen ones pressed', async () => {
    const html = await render('id', createElement(FreshnessControls, {
      freshness: { months: 24, fresh: 4500, active: 5000, share: 0.9 },
      months: 24,
      mode: 'freshness',
      onMonths: () => {},
      onMode: () => {},
    }));
    expect(html).toContain('90% data anggota dikonfirmasi dalam 24 bulan terakhir (4.500 dari 5.000 anggota aktif)');
    expect(html.match(/data-months="\d+"/g)).toEqual(['data-months="6"', 'data-months="12"', 'data-months="24"']);
    expect(html).toMatch(/aria-pressed="true" data-months="24"/);
    expect(html).toMatch(/aria-pressed="false" data-months="12"/);
    expect(html).toMatch(/aria-pressed="true" data-mode="freshness"/);
    expect(html).toMatch(/aria-pressed="false" data-mode="members"/);
  });
});

describe('the national map of a single-province coordinator', () => {
  const square = (code: string, name: string, x: number): RegionCollection['features'][number] => ({
    type: 'Feature',
    properties: { code, name },
    geometry: { type: 'Polygon', coordinates: [[[x, -7], [x + 1, -7], [x + 1, -6], [x, -6], [x, -7]]] },
  });
  const provinces: RegionCollection = {
    type: 'FeatureCollection',
    features: [square('31', 'DKI Jakarta', 106), square('32', 'Jawa Barat', 107), square('33', 'Jawa Tengah', 109)],
  };

  it('colours their province with its total; the other provinces are outside their area', async () => {
    const rows = new Map(rowsForMap(jawaBarat([row('32.04', 'Kabupaten Bandung', 1400, 0.5), row('32.73', 'Kota Bandung', 3600, 0.8)]), 'province', true).map((r) => [r.code, r]));
    const scale = countScale([...rows.values()].map((r) => r.members));
    const html = await render('id', createElement(RegionMap, {
      collection: provinces,
      label: 'Peta Indonesia',
      highlightCodes: ['32'],
      fill: (c: string) => scale.colour(rows.get(c)?.members),
      describe: (c: string) => `Anggota aktif: ${rows.get(c)?.members}`,
    }));
    const jabar = html.match(/<path[^>]*data-code="32"[^>]*>.*?<\/path>/)?.[0] ?? '';
    expect(jabar).toContain('is-filled');
    expect(jabar).toContain('<title>Jawa Barat: Anggota aktif: 5000</title>');
    expect(html.match(/<path[^>]*data-code="33"[^>]*>/)?.[0]).toContain('is-outside');
  });
});
