/**
 * Pieces shared by the beneficiary pages: a record's facts with reveal-with-reason for its masked
 * NIK, KK, phone and address, status badges, and the plain-language reading of a field's
 * contribution (in bits) to a pair's match weight.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { BeneficiaryRecord, BeneficiaryRevealField, DuplicateStatus } from '../../api/types.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { RevealForm, useContactReveal } from '../../components/ContactReveal.tsx';
import { formatDate } from '../../format.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaries.ts';

addStrings(strings);

/** "+7,5" / "−3,0": one decimal, the sign always written (the meaning must not rest on colour). */
export function formatBits(value: number, lang: string): string {
  const abs = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(value));
  if (Math.abs(value) < 0.05) return abs;
  return `${value > 0 ? '+' : '−'}${abs}`;
}

/** "81,3%" */
export function formatPercent(p: number, lang: string): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p);
}

export type Verdict = 'strongFor' | 'for' | 'neutral' | 'against' | 'strongAgainst' | 'missing';

/** A field's contribution read in words: ≥ 6 bits is strong (odds × 64), 2–6 moderate, within ±2 neutral. */
export function verdictOf(weight: number, label: string): Verdict {
  if (label.startsWith('null')) return 'missing';
  if (weight >= 6) return 'strongFor';
  if (weight >= 2) return 'for';
  if (weight > -2) return 'neutral';
  if (weight > -6) return 'against';
  return 'strongAgainst';
}

const LEVEL_KEYS: Record<string, string> = {
  exact: 'exact',
  else: 'else',
  'null (missing)': 'missing',
  'same phonetic key': 'phonetic',
  'token-sort jaro-winkler ≥ 0.92': 'similar92',
  'token-sort jaro-winkler ≥ 0.85': 'similar85',
  'day-month swapped': 'swapped',
  'year one digit off': 'yearDigit',
  'one part differs': 'onePart',
  'one digit': 'oneDigit',
  transposed: 'transposed',
  'same KK': 'sameKk',
  'same phone or address': 'samePhoneAddress',
};

/** The comparison level in words; an unknown label (a future model) is shown as the server names it. */
export function levelText(t: TFunction, label: string): string {
  const key = LEVEL_KEYS[label];
  return key ? t(`beneficiaries.levels.${key}`) : label;
}

export function fieldText(t: TFunction, field: string): string {
  return t(`beneficiaries.compareFields.${field}`, { defaultValue: field });
}

export function sourceText(t: TFunction, r: Pick<BeneficiaryRecord, 'source'>): string {
  return t('beneficiaries.sourceLine', { kind: t(`beneficiaries.sources.${r.source.kind}`), ref: r.source.ref });
}

const STATUS_BADGE: Record<DuplicateStatus, string> = { pending: 'badge-pending', later: 'badge-info', merged: 'badge-active', not_same: 'badge-disabled' };

export function DuplicateStatusBadge({ status }: { status: DuplicateStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${STATUS_BADGE[status]}`}>{t(`beneficiaries.statuses.${status}`)}</span>;
}

/** One masked field, with "Tampilkan" for those who may see personal data (the server decides by region). */
export function RevealableValue({ recordId, field, masked, mayReveal }: { recordId: number; field: BeneficiaryRevealField; masked: string | null; mayReveal: boolean }) {
  const { t } = useTranslation();
  const reveal = useContactReveal(`/api/beneficiaries/records/${recordId}/reveal`, field);
  const labels = {
    button: t('beneficiaries.reveal'),
    reason: t('beneficiaries.revealReason'),
    hint: t('beneficiaries.revealHint'),
    submit: t('beneficiaries.revealSubmit'),
  };
  if (masked === null) return <>{t('common.none')}</>;
  const shown = reveal.value ?? masked;
  return (
    <>
      <span className={reveal.value === null ? 'masked-value' : 'break'}>
        {shown}
        {reveal.value === null && <span className="sr-only"> ({t('beneficiaries.maskedNote')})</span>}
      </span>
      {reveal.value === null && mayReveal && !reveal.open && (
        <>
          {' '}
          <button
            type="button"
            className="btn btn-small btn-ghost"
            aria-label={`${labels.button}: ${t(`beneficiaries.fields.${field}`)}`}
            onClick={() => reveal.setOpen(true)}
          >
            {labels.button}
          </button>
        </>
      )}
      <RevealForm reveal={reveal} labels={labels} />
    </>
  );
}

/** A record's facts: where it came from, who, and its masked identifiers. */
export function RecordFacts({ record }: { record: BeneficiaryRecord }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const mayReveal = hasPermission(session, 'personal_data.reveal');
  const none = t('common.none');
  const r = record;
  return (
    <dl className="facts facts-stack">
      <dt>{t('beneficiaries.fields.fullName')}</dt>
      <dd>{r.fullName}</dd>
      <dt>{t('beneficiaries.fields.nik')}</dt>
      <dd>
        <RevealableValue recordId={r.id} field="nik" masked={r.nik} mayReveal={mayReveal} />
      </dd>
      <dt>{t('beneficiaries.fields.kk')}</dt>
      <dd>
        <RevealableValue recordId={r.id} field="kk" masked={r.kk} mayReveal={mayReveal} />
      </dd>
      <dt>{t('beneficiaries.fields.birthDate')}</dt>
      <dd>{r.birthDate ? formatDate(r.birthDate, i18n.language) : none}</dd>
      <dt>{t('beneficiaries.fields.sex')}</dt>
      <dd>{r.sex ? t(`beneficiaries.sexes.${r.sex}`) : none}</dd>
      <dt>{t('beneficiaries.fields.regency')}</dt>
      <dd>{r.regency.name ?? r.regency.code}</dd>
      <dt>{t('beneficiaries.fields.phone')}</dt>
      <dd>
        <RevealableValue recordId={r.id} field="phone" masked={r.phone} mayReveal={mayReveal} />
      </dd>
      <dt>{t('beneficiaries.fields.address')}</dt>
      <dd>
        <RevealableValue recordId={r.id} field="address" masked={r.address} mayReveal={mayReveal} />
      </dd>
      <dt>{t('beneficiaries.fields.consent')}</dt>
      <dd>{t('beneficiaries.consentLine', { purpose: r.consent.purpose, version: r.consent.version, date: formatDate(r.consent.givenAt, i18n.language) })}</dd>
      <dt>{t('beneficiaries.fields.createdAt')}</dt>
      <dd>{formatDate(r.createdAt, i18n.language)}</dd>
    </dl>
  );
}
