import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { hasPermission, hasRole, useSession } from '../../app/session.tsx';
import { Field } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { normalizePhone } from '../../format.ts';
import { useAction, useDocumentTitle } from '../../hooks.ts';
import { AgreementFields } from './AgreementFields.tsx';
import { agreementBody, emptyAgreement, PARTNER_TYPES, type AgreementDraft, type Partner, type PartnerType } from './partner.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/registryLists.ts';

addStrings(strings);

/** Errors of agreement `i` from a problem's field errors (`agreements.0.title` → `title`). */
export function agreementErrors(errors: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = message;
  return out;
}

/** A new partner with its agreements; the server checks the caller's power over its region and each agreement's scope. */
export default function PartnerCreatePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('partnerPages.newTitle'));
  const session = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [type, setType] = useState<PartnerType | ''>('');
  const [region, setRegion] = useState<PickedRegion | null>(null);
  const [website, setWebsite] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [agreements, setAgreements] = useState<AgreementDraft[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const mayOpenPersonalData = hasPermission(session, 'personal_data.reveal');
  // Only a national admin may add a national partner; others must pick a region inside theirs.
  const national = hasRole(session, 'national_admin');

  const save = useAction(async () => {
    const created = await api.post<Partner>('/api/partners', {
      name: name.trim(),
      type,
      regionCode: region?.code ?? null,
      ...(website.trim() && { website: website.trim() }),
      ...(contactName.trim() && { contactName: contactName.trim() }),
      ...(contactEmail.trim() && { contactEmail: contactEmail.trim() }),
      ...(contactPhone.trim() && { contactPhone: normalizePhone(contactPhone) }),
      agreements: agreements.map(agreementBody),
    });
    navigate(`/mitra/${created.id}`, { state: { created: created.name } });
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (name.trim().length < 2) missing.name = t('partnerPages.required');
    if (!type) missing.type = t('partnerPages.required');
    if (!national && !region) missing.regionCode = t('partnerPages.required');
    agreements.forEach((a, i) => {
      if (a.title.trim().length < 2) missing[`agreements.${i}.title`] = t('partnerPages.required');
      if (!a.validFrom) missing[`agreements.${i}.validFrom`] = t('partnerPages.required');
    });
    setLocal(missing);
    if (Object.keys(missing).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
      return;
    }
    void save.run();
  }

  const errors = { ...(save.error instanceof ApiError ? save.error.fieldErrors() : {}), ...local };
  const inline = ['name', 'type', 'regionCode', 'website', 'contactName', 'contactEmail', 'contactPhone', ...agreements.flatMap((_, i) => ['title', 'scopeCode', 'validFrom', 'validUntil'].map((k) => `agreements.${i}.${k}`))];
  return (
    <div className="stack">
      <p>
        <Link to="/mitra">← {t('partnerPages.back')}</Link>
      </p>
      <h1 id="partner-form-title">{t('partnerPages.newTitle')}</h1>
      <p className="muted">{t('partnerPages.newIntro')}</p>
      <form className="panel stack" onSubmit={submit} noValidate aria-labelledby="partner-form-title">
        <Field label={t('partnerPages.nameField')} value={name} required minLength={2} maxLength={160} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <div className={`field${errors.type ? ' field-invalid' : ''}`}>
          <label htmlFor="partner-type-field">{t('partnerPages.type')}</label>
          <select
            id="partner-type-field"
            required
            value={type}
            aria-invalid={errors.type ? true : undefined}
            aria-describedby={errors.type ? 'partner-type-error' : undefined}
            onChange={(e) => setType(e.target.value as PartnerType)}
          >
            <option value="" disabled>
              —
            </option>
            {PARTNER_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {t(`partnerPages.types.${ty}`)}
              </option>
            ))}
          </select>
          {errors.type && (
            <p className="field-error" id="partner-type-error">
              {errors.type}
            </p>
          )}
        </div>
        <RegionPicker
          label={national ? `${t('partnerPages.regionField')} (${t('common.optional')})` : t('partnerPages.regionField')}
          levels={[1, 2]}
          required={!national}
          value={region}
          error={errors.regionCode}
          onChange={setRegion}
        />
        {national && <p className="hint">{t('partnerPages.regionHint')}</p>}
        <Field
          label={`${t('partnerPages.website')} (${t('common.optional')})`}
          type="url"
          inputMode="url"
          value={website}
          maxLength={500}
          placeholder="https://"
          hint={t('partnerPages.websiteHint')}
          error={errors.website}
          onChange={(e) => setWebsite(e.target.value)}
        />
        <Field
          label={`${t('partnerPages.contactName')} (${t('common.optional')})`}
          value={contactName}
          maxLength={120}
          error={errors.contactName}
          onChange={(e) => setContactName(e.target.value)}
        />
        <Field
          label={`${t('partnerPages.contactEmail')} (${t('common.optional')})`}
          type="email"
          autoComplete="off"
          value={contactEmail}
          error={errors.contactEmail}
          onChange={(e) => setContactEmail(e.target.value)}
        />
        <Field
          label={`${t('partnerPages.contactPhone')} (${t('common.optional')})`}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={contactPhone}
          error={errors.contactPhone}
          onChange={(e) => setContactPhone(e.target.value)}
        />
        {agreements.map((a, i) => (
          <fieldset key={i} className="fieldset stack">
            <legend>{t('partnerPages.agreement', { n: i + 1 })}</legend>
            <AgreementFields
              value={a}
              mayOpenPersonalData={mayOpenPersonalData}
              errors={agreementErrors(errors, `agreements.${i}.`)}
              onChange={(next) => setAgreements(agreements.map((x, j) => (j === i ? next : x)))}
            />
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setAgreements(agreements.filter((_, j) => j !== i))}>
              {t('partnerPages.removeAgreement', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        {agreements.length < 20 && (
          <button type="button" className="btn" onClick={() => setAgreements([...agreements, emptyAgreement()])}>
            + {t('partnerPages.addAgreement')}
          </button>
        )}
        <ProblemAlert error={save.error} inlineFields={inline} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={save.busy}>
            {save.busy ? t('common.saving') : t('partnerPages.submit')}
          </button>
          <Link to="/mitra" className="btn">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </div>
  );
}
