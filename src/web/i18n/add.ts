import i18next from 'i18next';

/**
 * Adds an area's strings when its page's code loads, so the first download carries only the
 * strings of the frame and the login (call at the top level of the modules that use them).
 * Kept apart from `index.ts`, which sets the language up from the browser at import.
 */
export function addStrings(part: { id: object; en: object }): void {
  const add = () => {
    i18next.addResourceBundle('id', 'translation', part.id, true, false);
    i18next.addResourceBundle('en', 'translation', part.en, true, false);
  };
  if (i18next.isInitialized) add();
  else i18next.on('initialized', add);
}
