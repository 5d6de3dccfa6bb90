/** The links to the distribution pages from /penerima: apart from distribution.ts so that page stays light. */
export const id = {
  distribution: { navLink: 'Penyaluran' },
  overlap: { navLink: 'Cek tumpang tindih' },
};

export const en: typeof id = {
  distribution: { navLink: 'Distribution' },
  overlap: { navLink: 'Overlap check' },
};
