import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, withQuery } from '../../api/client.ts';
import type { Page, Region } from '../../api/types.ts';
import { Field } from '../../components/Field.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { normalizePhone } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { SubsectorChecks } from '../../components/SubsectorChecks.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

interface Subsector {
  code: string;
  nameId: string;
  nameEn: string;
}

/** One consent text as GET /api/public/consent-texts gives it (camelCase or the table's column names). */
interface ConsentText {
  purpose: string;
  version: number;
  required?: boolean;
  textId?: string;
  textEn?: string;
  text_id?: string;
  text_en?: string;
  text?: string | { id?: string; en?: string };
}

interface Registered {
  reference: string;
  status: string;
}

function consentText(c: ConsentText, lang: string): string {
  const en = lang === 'en';
  if (c.text && typeof c.text === 'object') return (en ? c.text.en : c.text.id) ?? c.text.id ?? '';
  return (en ? (c.textEn ?? c.text_en) : (c.textId ?? c.text_id)) ?? (typeof c.text === 'string' ? c.text : '') ?? '';
}

const listOf = <T,>(data: T[] | { items: T[] } | undefined): T[] => (Array.isArray(data) ? data : (data?.items ?? []));

/** Public member self-registration: no login; the regional coordinator approves. */
export default function RegisterPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('register.title'));
  const subsectors = useApi<{ items: Subsector[] }>('/api/subsectors', { cacheable: true });
  // The server answers in the request's language; the query makes a language switch fetch the texts again.
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const consents = useApi<ConsentText[] | { items: ConsentText[] }>(`/api/public/consent-texts?lang=${lang}`, { cacheable: true });

  const [form, setForm] = useState({
    fullName: '',
    email: '',
    phone: '',
    nik: '',
    gender: '',
    birthDate: '',
    districtCode: '',
    skills: '',
    links: '',
    password: '',
  });
  const [regency, setRegency] = useState<PickedRegion | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [granted, setGranted] = useState<Record<string, boolean>>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Registered | null>(null);

  const districts = useApi<Page<Region>>(regency ? withQuery('/api/regions', { parent: regency.code, limit: 1000 }) : null, {
    cacheable: true,
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const consentList = listOf(consents.data);

  const submit = useAction(async () => {
    const body = {
      fullName: form.fullName.trim(),
      ...(form.email.trim() ? { email: form.email.trim() } : {}),
      ...(form.phone.trim() ? { phone: normalizePhone(form.phone) } : {}),
      ...(form.nik.trim() ? { nik: form.nik.replace(/[\s.-]/g, '') } : {}),
      ...(form.gender ? { gender: form.gender } : {}),
      ...(form.birthDate ? { birthDate: form.birthDate } : {}),
      regencyCode: regency?.code ?? '',
      ...(form.districtCode ? { districtCode: form.districtCode } : {}),
      subsectors: chosen,
      skills: form.skills
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      portfolioLinks: form.links
        .split(/\s+/)
        .map((s) => s.trim())
        .filter(Boolean),
      ...(form.password ? { password: form.password } : {}),
      consents: consentList.map((c) => ({ purpose: c.purpose, version: c.version, granted: !!granted[c.purpose] })),
    };
    const res = await api.post<Registered>('/api/public/registrations/members', body);
    setDone(res);
    window.scrollTo(0, 0);
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!regency) errs.regencyCode = t('register.pickRegency');
    if (!form.email.trim() && !form.phone.trim()) errs.email = t('register.contactNeeded');
    if (consentList.some((c) => c.required && !granted[c.purpose])) errs.consents = t('register.consentMissing');
    setLocalErrors(errs);
    if (Object.keys(errs).length === 0) void submit.run();
  };

  if (done) {
    return (
      <section className="panel auth-panel" aria-labelledby="thanks-title" role="status">
        <h1 id="thanks-title">{t('register.thanksTitle')}</h1>
        <p className="lead">{t('register.thanksBody')}</p>
        <p>
          {t('register.reference')}: <strong className="reference">{done.reference}</strong>
        </p>
        <p className="hint">{t('register.referenceHint')}</p>
        <p>
          <Link to="/masuk">{t('register.haveAccount')}</Link>
        </p>
      </section>
    );
  }

  const serverErrors = submit.error?.fieldErrors() ?? {};
  const err = (k: string) => localErrors[k] ?? serverErrors[k];

  return (
    <section className="panel register-panel" aria-labelledby="register-title">
      <h1 id="register-title">{t('register.title')}</h1>
      <p className="lead">{t('register.intro')}</p>
      <p>
        <Link to="/daftar/komunitas">{t('communityRegister.linkFromMember')}</Link>
      </p>
      <form onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>{t('register.aboutYou')}</legend>
          <Field label={t('register.fullName')} name="fullName" autoComplete="name" required value={form.fullName} onChange={set('fullName')} error={err('fullName')} />
          <Field label={t('register.email')} type="email" name="email" autoComplete="email" inputMode="email" value={form.email} onChange={set('email')} error={err('email')} />
          <Field label={t('register.phone')} type="tel" name="phone" autoComplete="tel" inputMode="tel" hint={t('register.phoneHint')} value={form.phone} onChange={set('phone')} error={err('phone')} />
          <Field
            label={`${t('register.nik')} (${t('common.optional')})`}
            name="nik"
            inputMode="numeric"
            autoComplete="off"
            maxLength={24}
            hint={t('register.nikHint')}
            value={form.nik}
            onChange={set('nik')}
            error={err('nik')}
          />
          <div className="field">
            <label htmlFor="reg-gender">{t('register.gender')}</label>
            <select id="reg-gender" name="gender" value={form.gender} onChange={set('gender')}>
              <option value="">{t('register.genderNone')}</option>
              <option value="L">{t('register.genderL')}</option>
              <option value="P">{t('register.genderP')}</option>
            </select>
          </div>
          <Field label={t('register.birthDate')} type="date" name="birthDate" autoComplete="bday" value={form.birthDate} onChange={set('birthDate')} error={err('birthDate')} />
        </fieldset>

        <fieldset>
          <legend>{t('register.whereTitle')}</legend>
          <RegionPicker
            label={t('register.regency')}
            levels={[2]}
            value={regency}
            required
            error={err('regencyCode')}
            onChange={(r) => {
              setRegency(r);
              setForm((f) => ({ ...f, districtCode: '' }));
            }}
          />
          {regency && (
            <div className="field">
              <label htmlFor="reg-district">{t('register.district')}</label>
              <select id="reg-district" name="districtCode" value={form.districtCode} onChange={set('districtCode')}>
                <option value="">{t('register.districtNone')}</option>
                {districts.data?.items.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('register.workTitle')}</legend>
          <ProblemAlert error={subsectors.error} onRetry={subsectors.reload} />
          <SubsectorChecks label={t('register.subsectors')} options={subsectors.data?.items ?? []} chosen={chosen} onChange={setChosen} />
          <Field label={t('register.skills')} name="skills" hint={t('register.skillsHint')} value={form.skills} onChange={set('skills')} error={err('skills')} />
          <div className="field">
            <label htmlFor="reg-links">{t('register.links')}</label>
            <textarea id="reg-links" name="links" rows={2} inputMode="url" aria-describedby="reg-links-hint" value={form.links} onChange={set('links')} />
            <p className="hint" id="reg-links-hint">
              {t('register.linksHint')}
            </p>
            {Object.entries(serverErrors)
              .filter(([k]) => k.startsWith('portfolioLinks'))
              .slice(0, 1)
              .map(([k, m]) => (
                <p key={k} className="field-error">
                  {m}
                </p>
              ))}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('register.accountTitle')}</legend>
          <Field
            label={`${t('register.password')} (${t('common.optional')})`}
            type="password"
            name="password"
            autoComplete="new-password"
            minLength={10}
            hint={t('register.passwordHint')}
            value={form.password}
            onChange={set('password')}
            error={err('password')}
          />
        </fieldset>

        <fieldset>
          <legend>{t('register.consentTitle')}</legend>
          <ProblemAlert error={consents.error} onRetry={consents.reload} />
          {consents.loading && <Loading />}
          {consentList.map((c) => (
            <label key={c.purpose} className="check consent">
              <input
                type="checkbox"
                name={`consent-${c.purpose}`}
                checked={!!granted[c.purpose]}
                onChange={(e) => setGranted((g) => ({ ...g, [c.purpose]: e.target.checked }))}
              />
              <span>
                {consentText(c, i18n.language)}
                {c.required && <strong className="required-tag"> ({t('register.consentRequired')})</strong>}
              </span>
            </label>
          ))}
          {err('consents') && <p className="field-error">{err('consents')}</p>}
        </fieldset>

        <ProblemAlert error={submit.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={submit.busy || !consents.data}>
          {submit.busy ? t('register.submitting') : t('register.submit')}
        </button>
      </form>
      <p className="register-foot">
        <Link to="/masuk">{t('register.haveAccount')}</Link>
      </p>
    </section>
  );
}
