import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLocale, type Locale } from '../api/client.ts';
import en from './en.ts';
import id from './id.ts';
import * as coordinator from './parts/coordinator.ts';
import * as fixes from './parts/fixes.ts';

// Each area keeps its strings under its own top-level keys, so the parts merge shallowly. These two
// are used by the page frame; the other areas' strings come with their pages (`addStrings`).
const parts = [coordinator, fixes];
const catalogue = (lang: 'id' | 'en') => Object.assign({}, lang === 'id' ? id : en, ...parts.map((p) => p[lang]));

const STORAGE_KEY = 'simpul.lang';

export function storedLocale(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'id' || v === 'en' ? v : null;
  } catch {
    return null;
  }
}

const initial: Locale = storedLocale() ?? 'id';

void i18next.use(initReactI18next).init({
  resources: { id: { translation: catalogue('id') }, en: { translation: catalogue('en') } },
  lng: initial,
  fallbackLng: 'id',
  supportedLngs: ['id', 'en'],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

applyLocale(initial);

function applyLocale(lang: Locale): void {
  setApiLocale(lang);
  document.documentElement.lang = lang;
}


/** Switches the UI and API language; `persist` remembers the choice on this device. */
export function setLocale(lang: Locale, persist = true): void {
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode or full storage: the choice still applies for this visit.
    }
  }
  applyLocale(lang);
  void i18next.changeLanguage(lang);
}

export function currentLocale(): Locale {
  return i18next.language === 'en' ? 'en' : 'id';
}

export default i18next;
