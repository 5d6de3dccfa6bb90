import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, withQuery } from '../../api/client.ts';
import type { Page, Region } from '../../api/types.ts';
import { Field } from '../../components/Field.tsx';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { normalizePhone } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { ErrorSummary, type SummaryItem } from '../self/ErrorSummary.tsx';
import { problemMessage } from '../self/member.ts';
import { SubsectorChecks } from '../../components/SubsectorChecks.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

interface Subsector {
  code: string;
  nameId: string;
  nameEn: string;
}

/** One consent text as GET /api/public/consent-texts gives it. */
interface ConsentText {
  purpose: string;
  version: number;
  required: boolean;
  text: string;
}

interface Registered {
  reference: string;
  status: string;
}

const LEGAL_STATUSES = ['none', 'perkumpulan', 'yayasan', 'koperasi', 'cv', 'pt', 'other'] as const;
const SOCIAL_KINDS = ['instagram', 'website', 'facebook', 'tiktok', 'youtube', 'x', 'linkedin', 'whatsapp', 'other'] as const;
type SocialKind = (typeof SOCIAL_KINDS)[number];
const MAX_LINKS = 10;

/** Where an "@name" leads on each network; people write handles more often than addresses. */
const HANDLE_BASE: Partial<Record<SocialKind, string>> = {
  instagram: 'https://instagram.com/',
  tiktok: 'https://www.tiktok.com/@',
  x: 'https://x.com/',
  youtube: 'https://www.youtube.com/@',
  facebook: 'https://facebook.com/',
};

/** "@komunitas" → the profile address; a WhatsApp number → its wa.me link; "komunitas.id" → "https://komunitas.id". */
function socialUrl(kind: SocialKind, typed: string): string {
  const v = typed.trim();
  if (!v || /^https?:\/\//i.test(v)) return v;
  if (kind === 'whatsapp' && /^[+\d][\d\s().-]{6,}$/.test(v)) return `https://wa.me/${normalizePhone(v).replace(/\D/g, '')}`;
  const base = HANDLE_BASE[kind];
  if (v.startsWith('@') && base) return `${base}${v.slice(1)}`;
  if (/^[^\s/]+\.[^\s]+$/.test(v)) return `https://${v}`;
  return v;
}

/** Which input a server error path belongs to (`socialLinks.0.url` → `social-url-0`). */
function fieldOf(path: string): string {
  const key = path.replace(/^body\.?/, '');
  const social = /^socialLinks\.(\d+)/.exec(key);
  if (social) return `social-url-${social[1]}`;
  if (key.startsWith('consents')) return 'consents';
  if (key.startsWith('subsectors')) return 'subsectors';
  return key || '_';
}

/** Public community self-registration: no login; the coordinator of the regency approves. */
export default function CommunityRegisterPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('communityRegister.title'));
  const subsectors = useApi<{ items: Subsector[] }>('/api/subsectors', { cacheable: true });
  // The server answers in the request's language; the query makes a language switch fetch the texts again.
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const consents = useApi<{ items: ConsentText[] }>(`/api/public/consent-texts?lang=${lang}`, { cacheable: true });
  const maxYear = new Date().getFullYear() + 1;

  const [form, setForm] = useState({
    name: '',
    description: '',
    legalStatus: 'none',
    foundingYear: '',
    districtCode: '',
    contactName: '',
    contactPhone: '',
    contactEmail: '',
  });
  const [regency, setRegency] = useState<PickedRegion | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [links, setLinks] = useState<{ kind: SocialKind; url: string }[]>([{ kind: 'instagram', url: '' }]);
  const [granted, setGranted] = useState<Record<string, boolean>>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState<(Registered & { regency: string }) | null>(null);
  const thanks = useRef<HTMLHeadingElement>(null);

  const districts = useApi<Page<Region>>(regency ? withQuery('/api/regions', { parent: regency.code, limit: 1000 }) : null, { cacheable: true });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const consentList = consents.data?.items ?? [];

  const submit = useAction(async () => {
    const socialLinks = links.map((l) => ({ kind: l.kind, url: socialUrl(l.kind, l.url) })).filter((l) => l.url);
    const body = {
      name: form.name.trim(),
      ...(form.description.trim() ? { description: form.description.trim() } : {}),
      regencyCode: regency?.code ?? '',
      ...(form.districtCode ? { districtCode: form.districtCode } : {}),
      subsectors: chosen,
      contactName: form.contactName.trim(),
      ...(form.contactPhone.trim() ? { contactPhone: normalizePhone(form.contactPhone) } : {}),
      ...(form.contactEmail.trim() ? { contactEmail: form.contactEmail.trim() } : {}),
      socialLinks,
      legalStatus: form.legalStatus,
      ...(form.foundingYear.trim() ? { foundingYear: Number(form.foundingYear.trim()) } : {}),
      consents: consentList.map((c) => ({ purpose: c.purpose, version: c.version, granted: !!granted[c.purpose] })),
    };
    const res = await api.post<Registered>('/api/public/registrations/communities', body);
    setDone({ ...res, regency: regency?.name ?? '' });
  });

  useEffect(() => {
    if (submit.error) setAttempt((a) => a + 1);
  }, [submit.error]);
  useEffect(() => {
    if (done) {
      window.scrollTo(0, 0);
      thanks.current?.focus();
    }
  }, [done]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (form.name.trim().length < 2) errs.name = t('communityRegister.nameMissing');
    if (!regency) errs.regencyCode = t('communityRegister.pickRegency');
    const year = form.foundingYear.trim();
    if (year && !(/^\d{4}$/.test(year) && Number(year) >= 1900 && Number(year) <= maxYear)) {
      errs.foundingYear = t('communityRegister.foundingYearInvalid', { max: maxYear });
    }
    if (form.contactName.trim().length < 2) errs.contactName = t('communityRegister.contactNameMissing');
    if (!form.contactEmail.trim() && !form.contactPhone.trim()) errs.contactPhone = t('communityRegister.contactNeeded');
    links.forEach((l, i) => {
      const url = socialUrl(l.kind, l.url);
      if (url && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(url)) errs[`social-url-${i}`] = t('selfForm.linkInvalid');
    });
    if (consentList.some((c) => c.required && !granted[c.purpose])) errs.consents = t('communityRegister.consentMissing');
    setLocalErrors(errs);
    if (Object.keys(errs).length === 0) void submit.run();
    else setAttempt((a) => a + 1);
  };

  if (done) {
    return (
      <section className="panel auth-panel" aria-labelledby="thanks-title">
        <h1 id="thanks-title" tabIndex={-1} ref={thanks}>
          {t('communityRegister.thanksTitle')}
        </h1>
        <p className="lead" role="status">
          {t('communityRegister.thanksBody', { regency: done.regency })}
        </p>
        <p>
          {t('communityRegister.reference')}: <strong className="reference">{done.reference}</strong>
        </p>
        <p className="hint">{t('communityRegister.referenceHint')}</p>
        <p className="register-foot">
          <Link to="/daftar">{t('communityRegister.linkToMember')}</Link>
        </p>
      </section>
    );
  }

  const serverErrors: Record<string, string> = {};
  for (const [path, message] of Object.entries(submit.error?.fieldErrors() ?? {})) {
    const field = fieldOf(path);
    if (!serverErrors[field]) serverErrors[field] = message;
  }
  const errors = Object.keys(localErrors).length ? localErrors : serverErrors;
  const err = (k: string) => errors[k];
  const order = ['name', 'description', 'legalStatus', 'foundingYear', 'regencyCode', 'districtCode', 'subsectors', 'contactName', 'contactPhone', 'contactEmail'];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : k.startsWith('social-url-') ? order.length + Number(k.slice(11)) : 100);
  const summary: SummaryItem[] = Object.entries(errors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, message]) => ({ field, message }));
  if (submit.error && !Object.keys(localErrors).length && !Object.keys(serverErrors).length) summary.push({ field: '_', message: problemMessage(t, submit.error) });

  return (
    <section className="panel register-panel" aria-labelledby="community-title">
      <h1 id="community-title">{t('communityRegister.title')}</h1>
      <p className="lead">{t('communityRegister.intro')}</p>
      <p>
        <Link to="/daftar">{t('communityRegister.linkToMember')}</Link>
      </p>
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary items={summary} attempt={attempt} />
        <fieldset>
          <legend>{t('communityRegister.aboutTitle')}</legend>
          <Field label={t('communityRegister.name')} name="name" autoComplete="organization" required value={form.name} onChange={set('name')} error={err('name')} />
          <div className={`field${err('description') ? ' field-invalid' : ''}`}>
            <label htmlFor="community-description">{t('selfForm.optional', { label: t('communityRegister.description') })}</label>
            <textarea
              id="community-description"
              name="description"
              rows={3}
              maxLength={2000}
              aria-describedby={`community-description-hint${err('description') ? ' community-description-error' : ''}`}
              aria-invalid={err('description') ? true : undefined}
              value={form.description}
              onChange={set('description')}
            />
            <p className="hint" id="community-description-hint">
              {t('communityRegister.descriptionHint')}
            </p>
            {err('description') && (
              <p className="field-error" id="community-description-error">
                {err('description')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="community-legal">{t('communityRegister.legalStatus')}</label>
            <select id="community-legal" name="legalStatus" value={form.legalStatus} onChange={set('legalStatus')}>
              {LEGAL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`communityRegister.legal.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <Field
            label={t('selfForm.optional', { label: t('communityRegister.foundingYear') })}
            name="foundingYear"
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            hint={t('communityRegister.foundingYearHint')}
            value={form.foundingYear}
            onChange={set('foundingYear')}
            error={err('foundingYear')}
          />
        </fieldset>

        <fieldset>
          <legend>{t('communityRegister.whereTitle')}</legend>
          <RegionPicker
            label={t('communityRegister.regency')}
            name="regencyCode"
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
            <div className={`field${err('districtCode') ? ' field-invalid' : ''}`}>
              <label htmlFor="community-district">{t('selfForm.optional', { label: t('communityRegister.district') })}</label>
              <select
                id="community-district"
                name="districtCode"
                value={form.districtCode}
                onChange={set('districtCode')}
                aria-invalid={err('districtCode') ? true : undefined}
                aria-describedby={err('districtCode') ? 'community-district-error' : undefined}
              >
                <option value="">{t('communityRegister.districtNone')}</option>
                {districts.data?.items.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.name}
                  </option>
                ))}
              </select>
              {err('districtCode') && (
                <p className="field-error" id="community-district-error">
                  {err('districtCode')}
                </p>
              )}
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('communityRegister.workTitle')}</legend>
          <ProblemAlert error={subsectors.error} onRetry={subsectors.reload} />
          <SubsectorChecks
            label={t('communityRegister.subsectors')}
            options={subsectors.data?.items ?? []}
            chosen={chosen}
            onChange={setChosen}
            error={err('subsectors')}
          />
        </fieldset>

        <fieldset>
          <legend>{t('communityRegister.contactTitle')}</legend>
          <p className="hint">{t('communityRegister.contactHint')}</p>
          <Field
            label={t('communityRegister.contactName')}
            name="contactName"
            autoComplete="name"
            required
            value={form.contactName}
            onChange={set('contactName')}
            error={err('contactName')}
          />
          <Field
            label={t('communityRegister.contactPhone')}
            type="tel"
            name="contactPhone"
            autoComplete="tel"
            inputMode="tel"
            hint={t('communityRegister.contactPhoneHint')}
            value={form.contactPhone}
            onChange={set('contactPhone')}
            error={err('contactPhone')}
          />
          <Field
            label={t('communityRegister.contactEmail')}
            type="email"
            name="contactEmail"
            autoComplete="email"
            inputMode="email"
            value={form.contactEmail}
            onChange={set('contactEmail')}
            error={err('contactEmail')}
          />
        </fieldset>

        <fieldset>
          <legend>{t('communityRegister.socialTitle')}</legend>
          <p className="hint">{t('communityRegister.socialHint')}</p>
          {links.map((l, i) => {
            const n = i + 1;
            const urlError = err(`social-url-${i}`);
            return (
              <div key={i} className="social-row">
                <div className="field">
                  <label htmlFor={`social-kind-${i}`}>{t('communityRegister.socialKind', { n })}</label>
                  <select
                    id={`social-kind-${i}`}
                    name={`social-kind-${i}`}
                    value={l.kind}
                    onChange={(e) => setLinks((ls) => ls.map((x, j) => (j === i ? { ...x, kind: e.target.value as SocialKind } : x)))}
                  >
                    {SOCIAL_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`communityRegister.socialKinds.${k}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className={`field${urlError ? ' field-invalid' : ''}`}>
                  <label htmlFor={`social-url-${i}`}>{t('communityRegister.socialUrl', { n })}</label>
                  <input
                    id={`social-url-${i}`}
                    name={`social-url-${i}`}
                    inputMode="url"
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={urlError ? true : undefined}
                    aria-describedby={urlError ? `social-url-${i}-error` : undefined}
                    value={l.url}
                    onChange={(e) => setLinks((ls) => ls.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)))}
                  />
                  {urlError && (
                    <p className="field-error" id={`social-url-${i}-error`}>
                      {urlError}
                    </p>
                  )}
                </div>
                {links.length > 1 && (
                  <button type="button" className="btn btn-small" onClick={() => setLinks((ls) => ls.filter((_, j) => j !== i))}>
                    {t('communityRegister.socialRemove', { n })}
                  </button>
                )}
              </div>
            );
          })}
          {links.length < MAX_LINKS && (
            <button type="button" className="btn btn-small" onClick={() => setLinks((ls) => [...ls, { kind: 'website', url: '' }])}>
              + {t('communityRegister.socialAdd')}
            </button>
          )}
        </fieldset>

        <fieldset data-field="consents">
          <legend>{t('communityRegister.consentTitle')}</legend>
          <p className="hint">{t('communityRegister.consentIntro')}</p>
          <ProblemAlert error={consents.error} onRetry={consents.reload} />
          {consents.loading && <Loading />}
          {consentList.map((c) => (
            <label key={c.purpose} className="check consent">
              <input
                type="checkbox"
                name={`consent-${c.purpose}`}
                checked={!!granted[c.purpose]}
                aria-invalid={err('consents') && c.required && !granted[c.purpose] ? true : undefined}
                aria-describedby={err('consents') && c.required ? 'community-consent-error' : undefined}
                onChange={(e) => setGranted((g) => ({ ...g, [c.purpose]: e.target.checked }))}
              />
              <span>
                {c.text}
                {c.required && <strong className="required-tag"> ({t('communityRegister.consentRequired')})</strong>}
              </span>
            </label>
          ))}
          {err('consents') && (
            <p className="field-error" id="community-consent-error">
              {err('consents')}
            </p>
          )}
        </fieldset>

        <button type="submit" className="btn btn-primary btn-block" disabled={submit.busy || !consents.data}>
          {submit.busy ? t('communityRegister.submitting') : t('communityRegister.submit')}
        </button>
      </form>
    </section>
  );
}
