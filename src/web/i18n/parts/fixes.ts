/** Strings of one area of the UI, merged into the main catalogues by `i18n/index.ts`. */
export const id = {
  // Choropleths of the coordinators' map: shapes outside the viewer's area have no figures.
  mapScope: {
    outside: 'Di luar wilayah Anda',
    outsideTitle: '{{name}}: di luar wilayah Anda (tanpa angka)',
  },
};

export const en: typeof id = {
  mapScope: {
    outside: 'Outside your area',
    outsideTitle: '{{name}}: outside your area (no figures)',
  },
};
