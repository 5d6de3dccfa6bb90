/** Credits the licences of the shipped region data require us to show (ODbL, MIT). See data/ATTRIBUTION.md. */
export const REGION_ATTRIBUTIONS = [
  {
    subject: 'regions',
    text: 'Region codes and names: idn-area-data 4.0.1 by fityannugroho (Kepmendagri 300.2.2-2138/2025), data under the Open Database License (ODbL).',
    license: 'ODbL-1.0',
    source: 'https://github.com/fityannugroho/idn-area-data',
  },
  {
    subject: 'boundaries',
    text: 'Administrative boundaries: cahyadsn/wilayah_boundaries, MIT License, Copyright (c) 2024 Cahya DSN.',
    license: 'MIT',
    source: 'https://github.com/cahyadsn/wilayah_boundaries',
  },
] as const;

/** One line for the corner of a map. */
export const MAP_ATTRIBUTION = REGION_ATTRIBUTIONS.map((a) => a.text).join(' ');
