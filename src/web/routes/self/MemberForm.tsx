import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { withQuery, type ApiError } from '../../api/client.ts';
import type { Page, Region } from '../../api/types.ts';
import { Field } from '../../components/Field.tsx';
import { normalizePhone } from '../../format.ts';
import { useApi } from '../../hooks.ts';
import { ErrorSummary, type SummaryItem } from './ErrorSummary.tsx';
import { formFieldOf, problemMessage, type OwnMember, type OwnMemberPatch, type Subsector } from './member.ts';
import { SubsectorChecks } from '../../components/SubsectorChecks.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

interface Props {
  member: OwnMember;
  subsectors: Subsector[];
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  /** The last refused save, shown in the summary and next to the fields. */
  error: ApiError | null;
  onSubmit: (patch: OwnMemberPatch) => void;
  onCancel?: () => void;
  cancelLabel?: string;
}

const splitList = (text: string, by: RegExp) =>
  text
    .split(by)
    .map((s) => s.trim())
    .filter(Boolean);

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const isWebLink = (v: string) => /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(v);

/**
 * The fields a member may correct themselves, prefilled with the current data; sends only what
 * changed. The phone number comes masked, so its field starts empty: empty means "unchanged".
 * Regency, NIK and community links stay with the coordinator.
 */
export function MemberForm({ member, subsectors, submitLabel, busyLabel, busy, error, onSubmit, onCancel, cancelLabel }: Props) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    fullName: member.fullName,
    phone: '',
    email: member.email ?? '',
    gender: member.gender ?? '',
    birthDate: member.birthDate ?? '',
    districtCode: member.district?.code ?? '',
    skills: member.skills.join(', '),
    links: member.portfolioLinks.join('\n'),
  });
  const [chosen, setChosen] = useState<string[]>(member.subsectors);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const districts = useApi<Page<Region>>(withQuery('/api/regions', { parent: member.regency.code, limit: 1000 }), { cacheable: true });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  // A refused save moves focus to the summary, like a refused local check.
  useEffect(() => {
    if (error) setAttempt((a) => a + 1);
  }, [error]);

  const serverErrors: Record<string, string> = {};
  for (const [path, message] of Object.entries(error?.fieldErrors() ?? {})) {
    const field = formFieldOf(path);
    if (!serverErrors[field]) serverErrors[field] = message;
  }
  const errors = Object.keys(localErrors).length ? localErrors : serverErrors;
  const err = (k: string) => errors[k];
  const fieldOrder = ['fullName', 'phone', 'email', 'gender', 'birthDate', 'districtCode', 'subsectors', 'skills', 'links', '_'];
  const summary: SummaryItem[] = Object.entries(errors)
    .sort(([a], [b]) => fieldOrder.indexOf(a) - fieldOrder.indexOf(b))
    .map(([field, message]) => ({ field, message }));
  if (error && !Object.keys(localErrors).length && Object.keys(serverErrors).length === 0) summary.push({ field: '_', message: problemMessage(t, error) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const patch: OwnMemberPatch = {};
    const fullName = form.fullName.trim();
    if (fullName.length < 2) errs.fullName = t('selfForm.nameTooShort');
    else if (fullName !== member.fullName) patch.fullName = fullName;
    if (form.phone.trim()) {
      const phone = normalizePhone(form.phone);
      if (!/^\+\d{8,15}$/.test(phone)) errs.phone = t('selfForm.phoneInvalid');
      else patch.phone = phone;
    }
    const email = form.email.trim().toLowerCase();
    if (email !== (member.email ?? '')) patch.email = email || null;
    if (form.gender !== (member.gender ?? '')) patch.gender = (form.gender || null) as OwnMemberPatch['gender'];
    if (form.birthDate !== (member.birthDate ?? '')) patch.birthDate = form.birthDate || null;
    if (form.districtCode !== (member.district?.code ?? '')) patch.districtCode = form.districtCode || null;
    if (!sameList([...chosen].sort(), [...member.subsectors].sort())) patch.subsectors = chosen;
    const skills = splitList(form.skills, /,/);
    if (!sameList(skills, member.skills)) patch.skills = skills;
    const links = splitList(form.links, /\s+/);
    if (links.some((l) => !isWebLink(l))) errs.links = t('selfForm.linkInvalid');
    else if (!sameList(links, member.portfolioLinks)) patch.portfolioLinks = links;
    if (!Object.keys(errs).length && !Object.keys(patch).length) errs._ = t('selfForm.nothingChanged');
    setLocalErrors(errs);
    if (Object.keys(errs).length) {
      setAttempt((a) => a + 1);
      return;
    }
    onSubmit(patch);
  };

  return (
    <form onSubmit={submit} noValidate className="register-panel self-form">
      <ErrorSummary items={summary} attempt={attempt} />
      <Field label={t('selfForm.fullName')} name="fullName" autoComplete="name" required value={form.fullName} onChange={set('fullName')} error={err('fullName')} />
      <Field
        label={t('selfForm.phoneNew')}
        type="tel"
        name="phone"
        autoComplete="tel"
        inputMode="tel"
        hint={member.phone ? t('selfForm.phoneHintCurrent', { phone: member.phone }) : t('selfForm.phoneHintEmpty')}
        value={form.phone}
        onChange={set('phone')}
        error={err('phone')}
      />
      <Field label={t('selfForm.email')} type="email" name="email" autoComplete="email" inputMode="email" value={form.email} onChange={set('email')} error={err('email')} />
      <div className={`field${err('gender') ? ' field-invalid' : ''}`}>
        <label htmlFor="self-gender">{t('selfForm.gender')}</label>
        <select
          id="self-gender"
          name="gender"
          value={form.gender}
          onChange={set('gender')}
          aria-invalid={err('gender') ? true : undefined}
          aria-describedby={err('gender') ? 'self-gender-error' : undefined}
        >
          <option value="">{t('selfForm.genderNone')}</option>
          <option value="L">{t('selfForm.genderL')}</option>
          <option value="P">{t('selfForm.genderP')}</option>
        </select>
        {err('gender') && (
          <p className="field-error" id="self-gender-error">
            {err('gender')}
          </p>
        )}
      </div>
      <Field label={t('selfForm.birthDate')} type="date" name="birthDate" autoComplete="bday" value={form.birthDate} onChange={set('birthDate')} error={err('birthDate')} />
      <div className={`field${err('districtCode') ? ' field-invalid' : ''}`}>
        <label htmlFor="self-district">
          {t('selfForm.district')} ({member.regency.name ?? member.regency.code})
        </label>
        <select
          id="self-district"
          name="districtCode"
          value={form.districtCode}
          onChange={set('districtCode')}
          aria-describedby={`self-district-hint${err('districtCode') ? ' self-district-error' : ''}`}
          aria-invalid={err('districtCode') ? true : undefined}
        >
          <option value="">{t('selfForm.districtNone')}</option>
          {/* The current district shows even before the list arrives. */}
          {!districts.data && member.district && <option value={member.district.code}>{member.district.name ?? member.district.code}</option>}
          {districts.data?.items.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
        <p className="hint" id="self-district-hint">
          {t('selfForm.regencyFixed')}
        </p>
        {err('districtCode') && (
          <p className="field-error" id="self-district-error">
            {err('districtCode')}
          </p>
        )}
      </div>
      <SubsectorChecks label={t('selfForm.subsectors')} options={subsectors} chosen={chosen} onChange={setChosen} error={err('subsectors')} />
      <Field label={t('selfForm.skills')} name="skills" hint={t('selfForm.skillsHint')} value={form.skills} onChange={set('skills')} error={err('skills')} />
      <div className={`field${err('links') ? ' field-invalid' : ''}`}>
        <label htmlFor="self-links">{t('selfForm.links')}</label>
        <textarea
          id="self-links"
          name="links"
          rows={2}
          inputMode="url"
          aria-describedby={`self-links-hint${err('links') ? ' self-links-error' : ''}`}
          aria-invalid={err('links') ? true : undefined}
          value={form.links}
          onChange={set('links')}
        />
        <p className="hint" id="self-links-hint">
          {t('selfForm.linksHint')}
        </p>
        {err('links') && (
          <p className="field-error" id="self-links-error">
            {err('links')}
          </p>
        )}
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            {cancelLabel}
          </button>
        )}
      </div>
    </form>
  );
}
