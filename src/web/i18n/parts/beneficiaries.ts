/** Strings of one area of the UI, merged into the main catalogues by `i18n/index.ts`. */
export const id = {};

export const en: typeof id = {};
