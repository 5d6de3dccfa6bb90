import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { AidProgramme, BenefitBatchResult, EligibleList } from '../../api/types.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatNumber } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/distribution.ts';
import type { Partner } from '../partners/partner.ts';
import { csvText, downloadText } from '../../files.ts';
import { monthPeriod, newBatchKey, todayWib } from './distribution.ts';
import { periodText, reasonLines, RegionName, ShowMore, useAidKinds, useShownRows } from './ledger.tsx';

addStrings(strings);

/** Cards rendered at once: a region's list can hold thousands, phones draw them slowly. */

type Filter = 'all' | 'included' | 'excluded';

interface ListRequest {
  programme: string;
  aidKind: string;
  period: { start: string; end: string };
  candidates: { regionCode: string };
  regionName: string;
}

/**
 * /penerima/penyaluran — preparing a distribution: the eligible list for a programme, a kind of
 * aid, a period and a region (who is left out and why: already served with that kind of aid in
 * the period by any programme or partner, or already in this list), its CSV, and recording the
 * distribution for the people included, in one go.
 */
export default function DistributionPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  useDocumentTitle(t('distribution.title'));
  const session = useSession();
  const mayRecord = hasPermission(session, 'beneficiaries.manage');
  const programmes = useApi<{ items: AidProgramme[] }>('/api/beneficiaries/programmes');
  const { kinds, nameOf } = useAidKinds();

  const [programme, setProgramme] = useState('');
  const [aidKind, setAidKind] = useState('');
  const [period, setPeriod] = useState(() => monthPeriod(todayWib()));
  const [region, setRegion] = useState<PickedRegion | null>(null);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [list, setList] = useState<EligibleList | null>(null);
  const [asked, setAsked] = useState<ListRequest | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const { shown, reset: resetShown, more: showMore } = useShownRows();
  const [notice, setNotice] = useState<string | null>(null);

  const current = programmes.data?.items.find((p) => p.code === programme);
  // The first programme and its first kind, once the list arrives.
  useEffect(() => {
    const first = programmes.data?.items[0];
    if (first && !programme) {
      setProgramme(first.code);
      setAidKind(first.aidKinds[0] ?? '');
    }
  }, [programmes.data, programme]);

  const compute = useAction(async (req: ListRequest) => {
    const { regionName: _name, ...body } = req;
    const res = await api.post<EligibleList>('/api/beneficiaries/distributions/eligible', body);
    setList(res);
    setAsked(req);
    resetShown();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const errs: Record<string, string> = {};
    if (!programme) errs.programme = t('distribution.required');
    if (!aidKind) errs.aidKind = t('distribution.required');
    if (!region) errs.region = t('distribution.regionRequired');
    if (!period.start || !period.end) errs.period = t('distribution.required');
    else if (period.end < period.start) errs.period = t('distribution.periodReversed');
    setMissing(errs);
    if (Object.keys(errs).length || !region) return;
    void compute.run({ programme, aidKind, period, candidates: { regionCode: region.code }, regionName: region.name });
  };

  const items = list?.items.filter((i) => filter === 'all' || (filter === 'included' ? i.included : !i.included)) ?? [];
  const kindName = list ? nameOf(list.aidKind) : '';

  const downloadCsv = () => {
    if (!list || !asked) return;
    const header = [t('distribution.colRecord'), t('distribution.colPerson'), t('distribution.colName'), t('distribution.colRegency'), t('distribution.colStatus'), t('distribution.colReason')];
    const rows = list.items.map((i) => [
      i.recordId,
      i.personId,
      i.fullName,
      i.regencyCode,
      i.included ? t('distribution.included') : t('distribution.excluded'),
      i.reasons.map((r) => reasonLines(t, lang, r, kindName).join('; ')).join(' | '),
    ]);
    const name = `${t('distribution.csvName')}-${list.programme.code}-${list.aidKind}-${list.period.start}.csv`;
    downloadText(csvText(header, rows), name);
  };

  return (
    <div className="stack">
      <p>
        <Link to="/penerima">← {t('beneficiaries.backToSearch')}</Link>
      </p>
      <div className="page-head">
        <h1>{t('distribution.title')}</h1>
      </div>
      <p className="lead">{t('distribution.lead')}</p>
      <ProblemAlert error={programmes.error} onRetry={programmes.reload} />
      <form className="panel filters" onSubmit={submit} noValidate>
        <div className={`field${missing.programme ? ' field-invalid' : ''}`}>
          <label htmlFor="dist-programme">{t('distribution.programme')}</label>
          <select
            id="dist-programme"
            value={programme}
            onChange={(e) => {
              const next = programmes.data?.items.find((p) => p.code === e.target.value);
              setProgramme(e.target.value);
              if (next && !next.aidKinds.includes(aidKind)) setAidKind(next.aidKinds[0] ?? '');
            }}
          >
            {(programmes.data?.items ?? []).map((p) => (
              <option key={p.code} value={p.code}>
                {p.code} — {p.name}
              </option>
            ))}
          </select>
          {missing.programme && <p className="field-error">{missing.programme}</p>}
        </div>
        <div className={`field${missing.aidKind ? ' field-invalid' : ''}`}>
          <label htmlFor="dist-kind">{t('distribution.aidKind')}</label>
          <select id="dist-kind" value={aidKind} onChange={(e) => setAidKind(e.target.value)}>
            {(current?.aidKinds ?? []).map((code) => (
              <option key={code} value={code}>
                {nameOf(code)}
              </option>
            ))}
          </select>
          <p className="hint">{t('distribution.aidKindHint')}</p>
        </div>
        <fieldset className="fieldset">
          <legend>{t('distribution.period')}</legend>
          <div className={`field${missing.period ? ' field-invalid' : ''}`}>
            <label htmlFor="dist-start">{t('distribution.periodStart')}</label>
            <input id="dist-start" type="date" value={period.start} onChange={(e) => setPeriod({ ...period, start: e.target.value })} />
          </div>
          <div className={`field${missing.period ? ' field-invalid' : ''}`}>
            <label htmlFor="dist-end">{t('distribution.periodEnd')}</label>
            <input id="dist-end" type="date" value={period.end} onChange={(e) => setPeriod({ ...period, end: e.target.value })} />
            {missing.period && <p className="field-error">{missing.period}</p>}
          </div>
          <p className="hint">{t('distribution.periodHint')}</p>
        </fieldset>
        <RegionPicker label={t('distribution.region')} levels={[1, 2, 3]} value={region} onChange={setRegion} error={missing.region} required />
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={compute.busy}>
            {compute.busy ? t('distribution.computing') : t('distribution.compute')}
          </button>
        </div>
      </form>
      <ProblemAlert error={compute.error} />
      <Notice>{notice}</Notice>

      {list && asked && (
        <section className="stack" aria-labelledby="dist-result">
          <h2 id="dist-result">{t('distribution.resultTitle', { region: asked.regionName })}</h2>
          <p className="muted">
            {list.programme.code} — {list.programme.name} · {kindName} · {periodText(list.period, lang)}
          </p>
          <ul className="stat-grid" aria-live="polite">
            <li className="stat">
              <span className="stat-value">{formatNumber(list.included)}</span>
              <span className="stat-label">{t('distribution.includedCount')}</span>
            </li>
            <li className="stat">
              <span className="stat-value">{formatNumber(list.excluded)}</span>
              <span className="stat-label">{t('distribution.excludedCount')}</span>
            </li>
          </ul>
          {list.truncated && (
            <div className="alert alert-info" role="status">
              <p>{t('distribution.truncated', { count: formatNumber(list.items.length) })}</p>
            </div>
          )}
          <div className="button-row">
            <button type="button" className="btn" onClick={downloadCsv}>
              {t('distribution.downloadCsv')}
            </button>
          </div>
          {mayRecord && list.included > 0 && (
            <RecordPanel
              list={list}
              kindName={kindName}
              unit={kinds.find((k) => k.code === list.aidKind)?.unit}
              onRecorded={(res) => {
                setNotice(
                  res.replayed > 0
                    ? t('distribution.recordedWithReplay', { count: res.recorded, replayed: res.replayed })
                    : t('distribution.recorded', { count: res.recorded }),
                );
                // The list again, so the people just served show as left out, with the reason.
                void compute.run(asked);
              }}
            />
          )}

          <div className="seg-field">
            <span className="label" id="dist-filter">
              {t('distribution.show')}
            </span>
            <div className="seg" role="group" aria-labelledby="dist-filter">
              {(['all', 'included', 'excluded'] as const).map((f) => (
                <button
                  key={f}
                  type="button"
                  aria-pressed={filter === f}
                  onClick={() => {
                    setFilter(f);
                    resetShown();
                  }}
                >
                  {t(`distribution.filters.${f}`)} ({formatNumber(f === 'all' ? list.items.length : f === 'included' ? list.included : list.excluded)})
                </button>
              ))}
            </div>
          </div>

          {items.length === 0 ? (
            <p className="panel">{t('distribution.empty')}</p>
          ) : (
            <ul className="report-cards dist-list">
              {items.slice(0, shown).map((i) => (
                <li key={i.recordId} id={`cand-${i.recordId}`} className={`report-card${i.included ? '' : ' row-invalid'}`}>
                  <p className="report-card-head">
                    <span className="report-card-title break">{i.fullName ?? t('distribution.unknownRecord', { id: i.recordId })}</span>
                    {i.included ? (
                      <span className="badge badge-active">
                        <span aria-hidden="true">✓ </span>
                        {t('distribution.included')}
                      </span>
                    ) : (
                      <span className="verdict verdict-error">
                        <span aria-hidden="true">✕ </span>
                        {t('distribution.excluded')}
                      </span>
                    )}
                  </p>
                  <p className="muted">
                    {t('distribution.recordLine', { id: i.recordId })}
                    {i.regencyCode && (
                      <>
                        {' · '}
                        <RegionName code={i.regencyCode} />
                      </>
                    )}
                    {i.personId !== null && (
                      <>
                        {' · '}
                        <Link to={`/penerima/orang/${i.personId}`}>{t('beneficiaries.personLink', { id: i.personId })}</Link>
                      </>
                    )}
                  </p>
                  {i.reasons.length > 0 && (
                    <ul className="issues">
                      {i.reasons.map((r, k) => (
                        <li key={k} className="issue-error">
                          {reasonLines(t, lang, r, kindName).map((line, n) => (
                            <span key={n} className="fact-line">
                              {line}
                            </span>
                          ))}
                          {r.code === 'duplicate_in_list' && r.duplicateOfRecordId !== undefined && i.personId !== null && (
                            <Link to={`/penerima/orang/${i.personId}`} className="fact-line">
                              {t('distribution.seeOther', { record: r.duplicateOfRecordId })}
                            </Link>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
          <ShowMore shown={shown} total={items.length} onMore={showMore} />
        </section>
      )}
      {compute.busy && !list && <Loading />}
    </div>
  );
}

/** "1.500.000" and "Rp 1.500.000" for rupiah (dots group thousands in Indonesia); "2,5" or "2.5" for a quantity. */
function parseAmount(raw: string, cash: boolean): number {
  const s = raw.trim();
  return cash ? Number(s.replace(/^rp\s*/i, '').replace(/[.\s]/g, '')) : Number(s.replace(',', '.'));
}

/**
 * "Record the distribution": the benefit for every included person, in one request and one
 * transaction. The batch key is made once per content, so a double click or a retry after a lost
 * answer records nothing twice; changing the form makes a new distribution (a new key).
 */
function RecordPanel({ list, kindName, unit, onRecorded }: { list: EligibleList; kindName: string; unit?: string; onRecorded: (r: BenefitBatchResult) => void }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [partnerId, setPartnerId] = useState('');
  const [delivered, setDelivered] = useState(todayWib);
  const cash = unit === 'IDR';
  // One package or set per person is the usual case; a cash amount has no sensible default.
  const [quantity, setQuantity] = useState(cash ? '' : '1');
  const [quantityError, setQuantityError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const key = useRef<{ content: string; key: string } | null>(null);
  const partners = useApi<{ items: Partner[] }>(open ? '/api/partners?limit=200' : null);
  const included = list.items.filter((i) => i.included).map((i) => i.recordId);

  useEffect(() => {
    if (open) box.current?.focus();
  }, [open]);

  const record = useAction(async () => {
    const n = parseAmount(quantity, cash);
    const body = {
      programme: list.programme.code,
      aidKind: list.aidKind,
      period: list.period,
      partnerId: partnerId ? Number(partnerId) : null,
      ...(quantity.trim() && (cash ? { amount: Math.round(n) } : { quantity: n })),
      // The day of distribution in WIB: midnight there is the start of that day.
      deliveredAt: delivered ? `${delivered}T00:00:00+07:00` : null,
      recordIds: included,
    };
    const content = JSON.stringify(body);
    if (key.current?.content !== content) key.current = { content, key: newBatchKey() };
    const res = await api.post<BenefitBatchResult>('/api/beneficiaries/benefits/batch', { ...body, idempotencyKey: key.current.key });
    key.current = null;
    setOpen(false);
    onRecorded(res);
  });

  const submit = () => {
    const n = parseAmount(quantity, cash);
    const invalid = quantity.trim() !== '' && !(Number.isFinite(n) && n > 0);
    setQuantityError(invalid ? t('distribution.quantityInvalid') : null);
    if (!invalid) void record.run();
  };

  if (!open) {
    return (
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
          {t('distribution.record', { count: list.included })}
        </button>
      </div>
    );
  }
  return (
    <div className="confirm-box stack" ref={box} tabIndex={-1} role="group" aria-labelledby="dist-confirm-title">
      <h3 id="dist-confirm-title">{t('distribution.confirmTitle')}</h3>
      <p>
        {t('distribution.confirmBody', {
          count: list.included,
          kind: kindName,
          programme: list.programme.code,
          period: periodText(list.period, i18n.language),
        })}
      </p>
      <div className="field">
        <label htmlFor="dist-partner">{t('distribution.partner')}</label>
        <select id="dist-partner" value={partnerId} onChange={(e) => setPartnerId(e.target.value)}>
          <option value="">{t('distribution.noPartner')}</option>
          {(partners.data?.items ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="dist-delivered">{t('distribution.deliveredOn')}</label>
        <input id="dist-delivered" type="date" value={delivered} onChange={(e) => setDelivered(e.target.value)} />
      </div>
      <div className={`field${quantityError ? ' field-invalid' : ''}`}>
        <label htmlFor="dist-quantity">{cash ? t('distribution.amount') : t('distribution.quantity', { unit: unit ?? '' })}</label>
        <input
          id="dist-quantity"
          inputMode="decimal"
          value={quantity}
          aria-invalid={quantityError ? true : undefined}
          aria-describedby="dist-quantity-hint"
          onChange={(e) => setQuantity(e.target.value)}
        />
        <p className="hint" id="dist-quantity-hint">
          {t('distribution.quantityHint')}
        </p>
        {quantityError && <p className="field-error">{quantityError}</p>}
      </div>
      <ProblemAlert error={record.error} />
      <div className="button-row">
        <button type="button" className="btn btn-primary" disabled={record.busy} onClick={submit}>
          {record.busy ? t('distribution.recording') : t('distribution.confirm', { count: list.included })}
        </button>
        <button type="button" className="btn" disabled={record.busy} onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
