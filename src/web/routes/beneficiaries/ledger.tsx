/**
 * Pieces of the benefit ledger shared by the distribution pages and the person page: kinds of aid
 * by name, periods and regencies in words, the reason a candidate is left out of a list, long
 * lists shown in steps, and a person's ledger.
 */
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AidKind, AidPeriod, Benefit, EligibilityReason, RegionDetail } from '../../api/types.ts';
import { Loading } from '../../components/Problem.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useApi } from '../../hooks.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/distribution.ts';

addStrings(strings);

/** How many rows of a long list are shown: a first step, then "show more" adds another (phones). */
export function useShownRows(step = 50) {
  const [shown, setShown] = useState(step);
  return { shown, reset: () => setShown(step), more: () => setShown((n) => n + step) };
}

/** The "show more" button under a list whose first `shown` of `total` rows are on the page. */
export function ShowMore({ shown, total, onMore }: { shown: number; total: number; onMore: () => void }) {
  const { t } = useTranslation();
  if (total <= shown) return null;
  return (
    <div className="actions">
      <button type="button" className="btn" onClick={onMore}>
        {t('distribution.showMore', { shown: formatNumber(shown), total: formatNumber(total) })}
      </button>
    </div>
  );
}

/** Kind code → its name in the user's language (the list is tiny and never changes during a visit). */
export function useAidKinds(): { kinds: AidKind[]; nameOf: (code: string) => string } {
  const { i18n } = useTranslation();
  const res = useApi<{ items: AidKind[] }>(`/api/beneficiaries/aid-kinds?lang=${i18n.language}`, { cacheable: true });
  const kinds = res.data?.items ?? [];
  return { kinds, nameOf: (code) => kinds.find((k) => k.code === code)?.name ?? code };
}

export function periodText(p: AidPeriod, lang: string): string {
  return `${formatDate(p.start, lang)} – ${formatDate(p.end, lang)}`;
}

/** A regency by name (reference data, cached for the visit), its code until the name arrives. */
export function RegionName({ code }: { code: string }) {
  const region = useApi<RegionDetail>(`/api/regions/${encodeURIComponent(code)}`, { cacheable: true });
  return <>{region.data?.name ?? code}</>;
}

/** Why a candidate is left out, in plain words: what was received, when, from which programme and partner. */
export function reasonLines(t: TFunction, lang: string, r: EligibilityReason, kindName: string): string[] {
  if (r.code === 'duplicate_in_list') return [t('distribution.reasonDuplicate', { record: r.duplicateOfRecordId })];
  if (r.code !== 'already_received' || !r.programme || !r.period) return [r.message];
  const lines = [t('distribution.reasonReceived', { kind: kindName, period: periodText(r.period, lang) })];
  lines.push(t('distribution.reasonProgramme', { code: r.programme.code, name: r.programme.name }));
  lines.push(r.partner ? t('distribution.reasonPartner', { name: r.partner.name }) : t('distribution.reasonNoPartner'));
  if (r.deliveredAt) lines.push(t('distribution.reasonDate', { date: formatDate(r.deliveredAt, lang) }));
  return lines;
}

function amountText(b: Benefit, unit: string | undefined): string | null {
  if (b.amount !== null) return `Rp${formatNumber(b.amount)}`;
  if (b.quantity !== null) return `${formatNumber(Number(b.quantity))}${unit && unit !== 'IDR' ? ` ${unit}` : ''}`;
  return null;
}

/**
 * A person's benefits (programme, kind of aid, period, partner, delivered at). Shown only when
 * the server lets the caller see them: a refusal hides the section instead of alarming the page.
 */
export function BenefitLedger({ personId }: { personId: number }) {
  const { t, i18n } = useTranslation();
  const ledger = useApi<{ items: Benefit[] }>(`/api/beneficiaries/persons/${personId}/benefits`);
  const { kinds, nameOf } = useAidKinds();
  if (ledger.error?.status === 403) return null;
  return (
    <section className="panel stack" aria-labelledby="ledger-title">
      <h2 id="ledger-title">{t('distribution.ledgerTitle')}</h2>
      {ledger.loading && !ledger.data && <Loading />}
      {ledger.error && (
        <p className="alert alert-error" role="alert">
          {ledger.error.message}
        </p>
      )}
      {ledger.data && ledger.data.items.length === 0 && <p>{t('distribution.ledgerEmpty')}</p>}
      {ledger.data && ledger.data.items.length > 0 && (
        <ul className="report-cards benefit-ledger">
          {ledger.data.items.map((b) => {
            const amount = amountText(b, kinds.find((k) => k.code === b.aidKind)?.unit);
            return (
              <li key={b.id} className="report-card">
                <p className="report-card-head">
                  <span className="report-card-title">{nameOf(b.aidKind)}</span>
                  {amount && <span className="badge badge-info">{amount}</span>}
                </p>
                <dl className="facts facts-stack">
                  <dt>{t('distribution.colProgramme')}</dt>
                  <dd>
                    {b.programme.code} — {b.programme.name}
                  </dd>
                  <dt>{t('distribution.colPeriod')}</dt>
                  <dd>{periodText(b.period, i18n.language)}</dd>
                  <dt>{t('distribution.colPartner')}</dt>
                  <dd>{b.partner?.name ?? t('distribution.noPartner')}</dd>
                  <dt>{t('distribution.colDelivered')}</dt>
                  <dd>{b.deliveredAt ? formatDate(b.deliveredAt, i18n.language) : t('common.none')}</dd>
                  <dt>{t('distribution.colRecord')}</dt>
                  <dd>
                    #{b.recordId} · <RegionName code={b.regencyCode} />
                  </dd>
                </dl>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
