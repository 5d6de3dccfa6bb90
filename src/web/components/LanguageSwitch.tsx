import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/client.ts';
import { currentLocale, setLocale } from '../i18n/index.ts';

const LANGS: { code: Locale; label: string; nameKey: 'app.langId' | 'app.langEn' }[] = [
  { code: 'id', label: 'ID', nameKey: 'app.langId' },
  { code: 'en', label: 'EN', nameKey: 'app.langEn' },
];

export function LanguageSwitch() {
  const { t } = useTranslation();
  const active = currentLocale();
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {LANGS.map((l) => (
        <button
          key={l.code}
          type="button"
          lang={l.code}
          aria-pressed={active === l.code}
          title={t(l.nameKey)}
          onClick={() => setLocale(l.code)}
        >
          {l.label}
          <span className="sr-only"> ({t(l.nameKey)})</span>
        </button>
      ))}
    </div>
  );
}
