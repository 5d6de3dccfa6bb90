/** Strings of one area of the UI, merged into the main catalogues by `i18n/index.ts`. */
export const id = {
  // Data freshness on the coordinators' dashboard (region browser): active members whose data was
  // confirmed in the last N months, overall, per region and as a map colouring.
  freshness: {
    title: 'Kesegaran data',
    statLabel: 'data anggota dikonfirmasi dalam {{months}} bulan terakhir',
    statCounts: '{{fresh}} dari {{active}} anggota aktif',
    statNone: 'Belum ada anggota aktif.',
    sentence: '{{share}} data anggota dikonfirmasi dalam {{months}} bulan terakhir ({{fresh}} dari {{active}} anggota aktif)',
    period: 'Periode kesegaran',
    monthsShort: '{{months}} bln',
    monthsLong: '{{months}} bulan terakhir',
    mapColour: 'Warna peta',
    byMembers: 'Anggota',
    byFreshness: 'Kesegaran data',
    legend: 'Data dikonfirmasi dalam {{months}} bulan terakhir',
    legendNone: 'Belum ada anggota aktif',
    rowShare: 'Data terkini: {{share}}',
    mapShare: '{{share}} data dikonfirmasi dalam {{months}} bulan terakhir',
    mapNoMembers: 'belum ada anggota aktif',
    partial: 'Anggota aktif di wilayah kerja Anda',
    hint: 'Data terkini: anggota aktif yang datanya dimasukkan, diperbarui, atau dikonfirmasi dalam {{months}} bulan terakhir.',
    outOfScope: 'Angka anggota hanya tersedia untuk wilayah tugas Anda. Peta wilayah ini tetap bisa dijelajahi.',
  },
};

export const en: typeof id = {
  freshness: {
    title: 'Data freshness',
    statLabel: 'of member data confirmed in the last {{months}} months',
    statCounts: '{{fresh}} of {{active}} active members',
    statNone: 'No active members yet.',
    sentence: '{{share}} of member data confirmed in the last {{months}} months ({{fresh}} of {{active}} active members)',
    period: 'Freshness period',
    monthsShort: '{{months}} mo',
    monthsLong: 'last {{months}} months',
    mapColour: 'Map colour',
    byMembers: 'Members',
    byFreshness: 'Data freshness',
    legend: 'Data confirmed in the last {{months}} months',
    legendNone: 'No active members yet',
    rowShare: 'Up to date: {{share}}',
    mapShare: '{{share}} of data confirmed in the last {{months}} months',
    mapNoMembers: 'no active members yet',
    partial: 'Active members in your area',
    hint: 'Up to date: active members whose data was entered, updated or confirmed in the last {{months}} months.',
    outOfScope: 'Member figures are shown for your own region only. You can still browse the map of this one.',
  },
};
