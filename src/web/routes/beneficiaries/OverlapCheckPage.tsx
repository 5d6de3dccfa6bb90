import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { PartnerOverlapResult } from '../../api/types.ts';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/distribution.ts';
import type { Agreement, Partner } from '../partners/partner.ts';
import { formatPercent } from './shared.tsx';
import { csvText, downloadText } from '../../files.ts';
import { monthPeriod, readPartnerFile, todayWib, type PartnerFile, type PartnerRow } from './distribution.ts';
import { periodText, RegionName, ShowMore, useAidKinds, useShownRows } from './ledger.tsx';

addStrings(strings);

/** The API takes at most this many rows per check. */
const MAX_ROWS = 2000;

type Filter = 'all' | 'already_received' | 'not_received' | 'invalid';

/**
 * /penerima/tumpang-tindih — a coordinator acting for a partner checks the partner's own list
 * (NIK, name, birth date, regency) against the ledger: per row, whether that person already
 * received the kind of aid in the period, and from which programme and partner. What the answer
 * shows beyond that is decided by the partner's agreements, and the page says so before the check.
 */
export default function OverlapCheckPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  useDocumentTitle(t('overlap.title'));
  const partners = useApi<{ items: Partner[] }>('/api/partners?limit=200');
  const { kinds, nameOf } = useAidKinds();
  const [partnerId, setPartnerId] = useState('');
  const [aidKind, setAidKind] = useState('');
  const [period, setPeriod] = useState(() => monthPeriod(todayWib()));
  const [file, setFile] = useState<(PartnerFile & { name: string }) | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ answer: PartnerOverlapResult; rows: PartnerRow[]; partner: Partner; kind: string } | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const { shown, reset: resetShown, more: showMore } = useShownRows();

  const partner = partners.data?.items.find((p) => String(p.id) === partnerId);
  const kind = aidKind || kinds[0]?.code || '';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    setResult(null);
    if (!f) {
      setFile(null);
      return;
    }
    setFile({ ...readPartnerFile(await f.text()), name: f.name });
  };

  const check = useAction(async (body: { partnerId: number; aidKind: string; period: { start: string; end: string }; rows: PartnerRow[] }, p: Partner) => {
    const answer = await api.post<PartnerOverlapResult>('/api/beneficiaries/partner-overlap', body);
    setResult({ answer, rows: body.rows, partner: p, kind: body.aidKind });
    setFilter('all');
    resetShown();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!partner) errs.partner = t('distribution.required');
    if (!period.start || !period.end) errs.period = t('distribution.required');
    else if (period.end < period.start) errs.period = t('distribution.periodReversed');
    if (!file) errs.file = t('overlap.fileRequired');
    else if (file.missing.length) errs.file = t('overlap.nameColumnMissing');
    else if (file.rows.length === 0) errs.file = t('overlap.noRows');
    else if (file.rows.length > MAX_ROWS) errs.file = t('overlap.tooManyRows', { max: formatNumber(MAX_ROWS), count: formatNumber(file.rows.length) });
    setProblems(errs);
    if (Object.keys(errs).length || !partner || !file) return;
    void check.run({ partnerId: partner.id, aidKind: kind, period, rows: file.rows }, partner);
  };

  const downloadTemplate = () =>
    downloadText(csvText([t('overlap.tplRef'), 'NIK', t('overlap.tplName'), t('overlap.tplBirth'), t('overlap.tplRegency')], [['1', '3273011502920001', 'Andi Pratama', '1992-02-15', '32.73']]), t('overlap.tplFile'));

  const statusText = (s: Filter) => t(`overlap.statuses.${s}`);
  const sourceText = (s: PartnerOverlapResult['rows'][number]['sources'][number]) =>
    s.partner ? t('overlap.sourceWithPartner', { code: s.programme.code, name: s.programme.name, partner: s.partner.name }) : t('overlap.source', { code: s.programme.code, name: s.programme.name });

  const downloadResult = () => {
    if (!result) return;
    const header = [t('overlap.tplRef'), t('overlap.tplName'), t('distribution.colStatus'), t('overlap.colSources'), t('overlap.colProblems')];
    const rows = result.answer.rows.map((r) => [
      r.ref,
      result.rows[r.index]?.fullName ?? '',
      statusText(r.status),
      r.sources.map(sourceText).join(' | '),
      r.errors.map((e) => e.message).join(' | '),
    ]);
    downloadText(csvText(header, rows), `${t('overlap.csvName')}-${result.kind}-${period.start}.csv`);
  };

  const rows = result?.answer.rows.filter((r) => filter === 'all' || r.status === filter) ?? [];

  return (
    <div className="stack">
      <p>
        <Link to="/penerima">← {t('beneficiaries.backToSearch')}</Link>
      </p>
      <div className="page-head">
        <h1>{t('overlap.title')}</h1>
      </div>
      <p className="lead">{t('overlap.lead')}</p>
      <ProblemAlert error={partners.error} onRetry={partners.reload} />
      <form className="panel filters" onSubmit={submit} noValidate>
        <div className={`field${problems.partner ? ' field-invalid' : ''}`}>
          <label htmlFor="ov-partner">{t('overlap.partner')}</label>
          <select id="ov-partner" value={partnerId} onChange={(e) => {
              setPartnerId(e.target.value);
              setResult(null);
            }}>
            <option value="">{t('overlap.choosePartner')}</option>
            {(partners.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          {problems.partner && <p className="field-error">{problems.partner}</p>}
        </div>
        {partner && <AgreementNote agreements={partner.agreements} />}
        <div className="field">
          <label htmlFor="ov-kind">{t('distribution.aidKind')}</label>
          <select id="ov-kind" value={kind} onChange={(e) => setAidKind(e.target.value)}>
            {kinds.map((k) => (
              <option key={k.code} value={k.code}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="fieldset">
          <legend>{t('distribution.period')}</legend>
          <div className={`field${problems.period ? ' field-invalid' : ''}`}>
            <label htmlFor="ov-start">{t('distribution.periodStart')}</label>
            <input id="ov-start" type="date" value={period.start} onChange={(e) => setPeriod({ ...period, start: e.target.value })} />
          </div>
          <div className={`field${problems.period ? ' field-invalid' : ''}`}>
            <label htmlFor="ov-end">{t('distribution.periodEnd')}</label>
            <input id="ov-end" type="date" value={period.end} onChange={(e) => setPeriod({ ...period, end: e.target.value })} />
            {problems.period && <p className="field-error">{problems.period}</p>}
          </div>
        </fieldset>
        <div className={`dropzone${problems.file ? ' field-invalid' : ''}`}>
          <label htmlFor="ov-file" className="dropzone-title">
            <strong>{t('overlap.file')}</strong>
          </label>
          <p className="dropzone-hint" id="ov-file-hint">
            {t('overlap.fileHint', { max: formatNumber(MAX_ROWS) })}
          </p>
          <input id="ov-file" type="file" accept=".csv,text/csv,text/plain" aria-describedby="ov-file-hint" onChange={(e) => void onFile(e)} />
          {file && !file.missing.length && (
            <p className="dropzone-file" aria-live="polite">
              {t('overlap.fileRead', { name: file.name, count: file.rows.length })}
              {file.skipped.length > 0 && ` ${t('overlap.skipped', { lines: file.skipped.slice(0, 10).join(', ') })}`}
            </p>
          )}
          {problems.file && <p className="field-error">{problems.file}</p>}
          <button type="button" className="btn btn-link" onClick={downloadTemplate}>
            {t('overlap.template')}
          </button>
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={check.busy}>
            {check.busy ? t('overlap.checking') : t('overlap.check')}
          </button>
        </div>
      </form>
      <ProblemAlert error={check.error} />
      {check.busy && !result && <Loading />}

      {result && (
        <section className="stack" aria-labelledby="ov-result">
          <h2 id="ov-result">{t('overlap.resultTitle', { partner: result.partner.name })}</h2>
          <p className="muted">
            {nameOf(result.kind)} · {periodText(period, lang)}
          </p>
          <ul className="stat-grid" aria-live="polite">
            <li className="stat">
              <span className="stat-value">{formatNumber(result.answer.alreadyReceived)}</span>
              <span className="stat-label">{t('overlap.overlapCount')}</span>
            </li>
            <li className="stat">
              <span className="stat-value">{formatNumber(result.answer.checked - result.answer.alreadyReceived - result.answer.invalid)}</span>
              <span className="stat-label">{t('overlap.notReceivedCount')}</span>
            </li>
            <li className="stat">
              <span className="stat-value">{formatNumber(result.answer.invalid)}</span>
              <span className="stat-label">{t('overlap.invalidCount')}</span>
            </li>
            <li className="stat">
              <span className="stat-value">{formatNumber(result.answer.checked)}</span>
              <span className="stat-label">{t('overlap.checkedCount')}</span>
            </li>
          </ul>
          <div className={`alert ${result.answer.personalData ? 'alert-info' : 'alert-ok'}`} role="status">
            <p>{result.answer.personalData ? t('overlap.shownWithPersonal') : t('overlap.shownWithoutPersonal')}</p>
          </div>
          <div className="button-row">
            <button type="button" className="btn" onClick={downloadResult}>
              {t('distribution.downloadCsv')}
            </button>
          </div>
          <div className="field report-filter">
            <label htmlFor="ov-filter">{t('distribution.show')}</label>
            <select
              id="ov-filter"
              value={filter}
              onChange={(e) => {
                setFilter(e.target.value as Filter);
                resetShown();
              }}
            >
              {(['all', 'already_received', 'not_received', 'invalid'] as const).map((f) => (
                <option key={f} value={f}>
                  {statusText(f)} ({formatNumber(f === 'all' ? result.answer.rows.length : result.answer.rows.filter((r) => r.status === f).length)})
                </option>
              ))}
            </select>
          </div>
          {rows.length === 0 ? (
            <p className="panel">{t('distribution.empty')}</p>
          ) : (
            <ul className="report-cards ov-list">
              {rows.slice(0, shown).map((r) => {
                const mine = result.rows[r.index];
                return (
                  <li key={r.index} className={`report-card${r.status === 'not_received' ? '' : ' row-invalid'}`}>
                    <p className="report-card-head">
                      <span className="report-card-title break">
                        {mine?.fullName} <span className="muted">· {t('overlap.rowRef', { ref: r.ref ?? r.index + 1 })}</span>
                      </span>
                      <span className={r.status === 'not_received' ? 'badge badge-active' : r.status === 'invalid' ? 'verdict verdict-warning' : 'verdict verdict-error'}>
                        {statusText(r.status)}
                      </span>
                    </p>
                    {r.sources.length > 0 && (
                      <ul className="issues">
                        {r.sources.map((s, k) => (
                          <li key={k}>{sourceText(s)}</li>
                        ))}
                      </ul>
                    )}
                    {r.detail && r.detail.length > 0 && (
                      <ul className="issues">
                        {r.detail.map((d) => (
                          <li key={d.benefitId} className="muted">
                            <Link to={`/penerima/orang/${d.personId}`}>{t('beneficiaries.personLink', { id: d.personId })}</Link>
                            {' · '}
                            {t(d.match === 'nik' ? 'overlap.matchNik' : 'overlap.matchName', { p: formatPercent(d.probability, lang) })}
                            {' · '}
                            {periodText(d.period, lang)}
                            {d.deliveredAt && ` · ${formatDate(d.deliveredAt, lang)}`}
                            {' · '}
                            <RegionName code={d.regencyCode} />
                          </li>
                        ))}
                      </ul>
                    )}
                    {r.errors.length > 0 && (
                      <ul className="issues">
                        {r.errors.map((e, k) => (
                          <li key={k} className="issue-error">
                            {e.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          <ShowMore shown={shown} total={rows.length} onMore={showMore} />
        </section>
      )}
    </div>
  );
}

/** What the partner's agreements allow this check to show, said before the check is made. */
function AgreementNote({ agreements }: { agreements: Agreement[] }) {
  const { t, i18n } = useTranslation();
  const active = agreements.filter((a) => a.active);
  if (active.length === 0) {
    return (
      <div className="alert alert-error" role="status">
        <p>{t('overlap.noAgreement')}</p>
      </div>
    );
  }
  const personal = active.filter((a) => a.allowsPersonalData);
  return (
    <div className="alert alert-info" role="status">
      <p>{personal.length > 0 ? t('overlap.agreementPersonal') : t('overlap.agreementAggregate')}</p>
      <ul>
        {active.map((a) => (
          <li key={a.id}>
            {a.title} — {a.scopeType === 'national' || !a.scopeCode ? t('overlap.national') : <RegionName code={a.scopeCode} />},{' '}
            {a.validUntil ? t('overlap.validUntil', { date: formatDate(a.validUntil, i18n.language) }) : t('overlap.noEnd')}
            {' · '}
            {a.allowsPersonalData ? t('overlap.personalYes') : t('overlap.personalNo')}
          </li>
        ))}
      </ul>
    </div>
  );
}
