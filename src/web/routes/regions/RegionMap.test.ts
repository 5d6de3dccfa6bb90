import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fixes from '../../i18n/parts/fixes.ts';
import { countScale, NONE_COLOUR, type Count } from '../dashboard/DashboardPanels.tsx';
import { RegionMap, type RegionCollection } from './RegionMap.tsx';

const square = (code: string, name: string, x: number): RegionCollection['features'][number] => ({
  type: 'Feature',
  properties: { code, name },
  geometry: { type: 'Polygon', coordinates: [[[x, -7], [x + 0.2, -7], [x + 0.2, -6.8], [x, -6.8], [x, -7]]] },
});
const collection: RegionCollection = {
  type: 'FeatureCollection',
  features: [square('32.04', 'Kabupaten Bandung', 107.4), square('32.73', 'Kota Bandung', 107.6), square('32.77', 'Kota Cimahi', 107.8)],
};

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ lng: 'id', resources: { id: { translation: fixes.id } }, interpolation: { escapeValue: false } });
});

/** The map as the coordinators' dashboard draws it: counts only for the rows the API returned. */
function render(rows: Record<string, Count>, mine: string[]) {
  const counts = new Map(Object.entries(rows));
  const scale = countScale([...counts.values()]);
  const map = createElement(RegionMap, {
    collection,
    label: 'Peta',
    highlightCodes: mine,
    fill: (c: string) => scale.colour(counts.get(c)),
    describe: (c: string) => `Anggota aktif: ${counts.get(c) ?? 0}`,
  });
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, createElement(MemoryRouter, null, map)));
}

const pathOf = (html: string, code: string) => html.match(new RegExp(`<path[^>]*data-code="${code.replace('.', '\\.')}"[^>]*>.*?</path>`))?.[0] ?? '';

describe('RegionMap as a choropleth of the caller’s area', () => {
  it('draws regencies outside the caller’s area hatched and labelled as outside, not as "none yet"', () => {
    // A regency coordinator of 32.73 with no members yet: the API has a row for 32.73 only.
    const html = render({ '32.73': 0 }, ['32.73']);
    const own = pathOf(html, '32.73');
    expect(own).toContain(`fill:${NONE_COLOUR}`);
    expect(own).toContain('<title>Kota Bandung: Anggota aktif: 0</title>');
    for (const [code, name] of [['32.04', 'Kabupaten Bandung'], ['32.77', 'Kota Cimahi']]) {
      const other = pathOf(html, code);
      expect(other).toMatch(/class="[^"]*is-outside/);
      expect(other).not.toContain(NONE_COLOUR);
      expect(other).toContain(`<title>${name}: di luar wilayah Anda (tanpa angka)</title>`);
    }
    expect(html).toContain('<pattern');
    expect(html).toMatch(/class="legend map-outside-legend">.*Di luar wilayah Anda/);
  });

  it('marks nothing as outside when every shape has a figure (national view, public statistics)', () => {
    const html = render({ '32.04': 3, '32.73': 0, '32.77': '<5' }, []);
    expect(html).not.toContain('is-outside');
    expect(html).not.toContain('map-outside-legend');
    expect(pathOf(html, '32.77')).toContain('<title>Kota Cimahi: Anggota aktif: &lt;5</title>');
  });
});
