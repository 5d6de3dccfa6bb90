import { useTranslation } from 'react-i18next';
import { api, type Locale } from '../api/client.ts';
import { useSessionApi } from '../app/session.tsx';
import { currentLocale, setLocale } from '../i18n/index.ts';

const LANGS: { code: Locale; label: string; nameKey: 'app.langId' | 'app.langEn' }[] = [
  { code: 'id', label: 'ID', nameKey: 'app.langId' },
  { code: 'en', label: 'EN', nameKey: 'app.langEn' },
];

export function LanguageSwitch() {
  const { t } = useTranslation();
  const active = currentLocale();
  const { state } = useSessionApi();
  const choose = (lang: Locale) => {
    setLocale(lang);
    // Remember the choice on the account too, so the next device opens in the same language.
    if (state.status === 'authenticated' && state.session.user.locale !== lang) {
      api.patch('/api/me', { locale: lang }).catch(() => {});
    }
  };
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {LANGS.map((l) => (
        <button
          key={l.code}
          type="button"
          lang={l.code}
          aria-pressed={active === l.code}
          title={t(l.nameKey)}
          onClick={() => choose(l.code)}
        >
          {l.label}
          <span className="sr-only"> ({t(l.nameKey)})</span>
        </button>
      ))}
    </div>
  );
}
