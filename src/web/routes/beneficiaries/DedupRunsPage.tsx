import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { ClearMatchMerge, ClearMatchMergeStarted, DedupRun, DedupRunCounts, DedupRunParameters } from '../../api/types.ts';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { coordinatorScopes, hasPermission, hasRole, useSession } from '../../app/session.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { isActive, JobBar, JobStatusBadge, RegionName, usePolled } from './jobs.tsx';
import { levelText } from './shared.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaryRuns.ts';

addStrings(strings);

const COUNT_KEYS = ['records', 'candidatePairs', 'clearMatches', 'greyZone', 'queued', 'alreadyInQueue', 'clusters', 'refusedLinks'] as const;
const PHASES = ['loading', 'blocking', 'comparing', 'training', 'scoring', 'clustering', 'saving'] as const;

/** /penerima/proses: start a deduplication run, watch it, read its counts and learned model, merge its clear matches. */
export default function DedupRunsPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('benefRuns.runs.title'));
  const [params, setParams] = useSearchParams();
  const selected = Number(params.get('run')) || null;
  const list = useApi<{ items: DedupRun[] }>('/api/beneficiaries/dedup-runs');
  const select = (id: number) => {
    setParams({ run: String(id) });
    list.reload();
  };

  return (
    <div className="stack">
      <p>
        <Link to="/penerima">← {t('benefRuns.backToBeneficiaries')}</Link>
      </p>
      <div className="page-head">
        <h1>{t('benefRuns.runs.title')}</h1>
      </div>
      <p className="lead">{t('benefRuns.runs.lead')}</p>
      {selected ? <RunView key={selected} id={selected} onChange={list.reload} /> : <StartForm onStarted={(run) => select(run.id)} />}
      <section className="panel" aria-labelledby="dedup-recent">
        <h2 id="dedup-recent">{t('benefRuns.runs.recentTitle')}</h2>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        {list.loading && !list.data && <Loading />}
        {list.data && list.data.items.length === 0 && <p className="muted">{t('benefRuns.runs.recentEmpty')}</p>}
        {list.data && list.data.items.length > 0 && (
          <ul className="recent-imports">
            {list.data.items.map((r) => (
              <li key={r.id}>
                <Link to={`/penerima/proses?run=${r.id}`} className="recent-link" aria-current={r.id === selected ? 'true' : undefined}>
                  <span className="recent-title">
                    {t('benefRuns.runs.runTitle', { id: r.id })} · <Scope code={r.regionCode} /> <JobStatusBadge status={r.status} />
                  </span>
                  <span className="card-meta">
                    {formatDate(r.createdAt, i18n.language)}
                    {r.counts &&
                      ` · ${formatNumber(r.counts.records)} ${t('benefRuns.runs.counts.records').toLowerCase()} · ${formatNumber(r.counts.clearMatches)} ${t('benefRuns.runs.counts.clearMatches').toLowerCase()}`}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {selected && (
          <p>
            <Link to="/penerima/proses">{t('benefRuns.runs.startTitle')}</Link>
          </p>
        )}
      </section>
    </div>
  );
}

function Scope({ code }: { code: string | null }) {
  const { t } = useTranslation();
  return code === null ? <>{t('benefRuns.runs.national')}</> : <RegionName code={code} />;
}

function StartForm({ onStarted }: { onStarted: (run: DedupRun) => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const national = hasRole(session, 'national_admin');
  const own = coordinatorScopes(session);
  // A national admin runs over everyone or any region; a coordinator over one of their regions.
  const [choice, setChoice] = useState<string>(national ? 'all' : (own[0]?.scopeCode ?? ''));
  const [picked, setPicked] = useState<PickedRegion | null>(null);
  const [missing, setMissing] = useState(false);
  const start = useAction((regionCode: string | null) => api.post<DedupRun>('/api/beneficiaries/dedup-runs', { regionCode }));
  if (!hasPermission(session, 'beneficiaries.manage')) return <p className="panel muted">{t('benefRuns.runs.noPermission')}</p>;
  const regionCode = choice === 'all' ? null : choice === 'pick' ? (picked?.code ?? '') : choice;

  return (
    <form
      className="panel stack"
      aria-labelledby="dedup-start"
      onSubmit={(e) => {
        e.preventDefault();
        if (regionCode === '') return setMissing(true);
        void start.run(regionCode).then((run) => run && onStarted(run));
      }}
    >
      <h2 id="dedup-start">{t('benefRuns.runs.startTitle')}</h2>
      <fieldset className="fieldset" disabled={start.busy}>
        <legend>{t('benefRuns.runs.scope')}</legend>
        {national && (
          <label className="check">
            <input type="radio" name="dedup-scope" checked={choice === 'all'} onChange={() => setChoice('all')} />
            {t('benefRuns.runs.everyone')}
          </label>
        )}
        {own.map((g) => (
          <label key={g.scopeCode} className="check">
            <input type="radio" name="dedup-scope" checked={choice === g.scopeCode} onChange={() => setChoice(g.scopeCode)} />
            {g.scopeName ?? g.scopeCode}
          </label>
        ))}
        {national && (
          <label className="check">
            <input type="radio" name="dedup-scope" checked={choice === 'pick'} onChange={() => setChoice('pick')} />
            {t('benefRuns.runs.oneRegion')}
          </label>
        )}
      </fieldset>
      {choice === 'pick' && (
        <RegionPicker
          label={t('benefRuns.runs.region')}
          levels={[1, 2]}
          value={picked}
          required
          error={missing && !picked ? t('benefRuns.runs.regionRequired') : undefined}
          onChange={(r) => {
            setPicked(r);
            setMissing(false);
          }}
        />
      )}
      <ProblemAlert error={start.error} />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={start.busy}>
          {start.busy ? t('benefRuns.runs.starting') : t('benefRuns.runs.start')}
        </button>
      </div>
    </form>
  );
}

function RunView({ id, onChange }: { id: number; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const { data: run, error, reload } = usePolled<DedupRun>(
    `/api/beneficiaries/dedup-runs/${id}`,
    (r) => isActive(r.status),
  );
  // The list below shows the status too: refresh it when the run settles.
  const settled = run !== undefined && !isActive(run.status);
  const seenActive = useRef(false);
  useEffect(() => {
    if (run && !settled) seenActive.current = true;
    if (settled && seenActive.current) {
      seenActive.current = false;
      onChange();
    }
  }, [run, settled, onChange]);
  if (!run) return error ? <ProblemAlert error={error} onRetry={reload} /> : <Loading />;

  return (
    <section className="stack" aria-labelledby="dedup-run">
      <div className="page-head">
        <h2 id="dedup-run">
          {t('benefRuns.runs.runTitle', { id: run.id })} · <Scope code={run.regionCode} />
        </h2>
        <JobStatusBadge status={run.status} />
      </div>
      <p className="muted">{t('benefRuns.runs.startedLine', { date: formatDate(run.startedAt ?? run.createdAt, i18n.language) })}</p>
      <ProblemAlert error={error} />
      <div aria-live="polite" className="sr-only">
        {t(`benefRuns.statuses.${run.status}`)}
      </div>
      {isActive(run.status) && (
        <div className="panel">
          <JobBar
            label={t('benefRuns.runs.progressLabel')}
            progress={run.progress}
            phaseText={(p) => t(`benefRuns.runs.phases.${p}`, { defaultValue: p })}
            waitingText={t('benefRuns.import.waiting')}
          />
          <p className="hint">{t('benefRuns.backgroundHint')}</p>
        </div>
      )}
      {run.status === 'failed' && (
        <div className="alert alert-error" role="alert">
          <p>{t('benefRuns.runs.failed', { error: run.error ?? '' })}</p>
        </div>
      )}
      {run.counts && <Counts counts={run.counts} />}
      {run.status === 'done' && run.counts && run.counts.queuedClearMatches > 0 && <MergePanel run={run} />}
      {run.status === 'done' && (
        <p>
          <Link className="btn" to="/penerima/duplikat">
            {t('benefRuns.toQueue')}
          </Link>
        </p>
      )}
      {run.counts && <Timings timings={run.counts.timings} />}
      {run.parameters && <Model parameters={run.parameters} />}
    </section>
  );
}

function Counts({ counts }: { counts: DedupRunCounts }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="dedup-counts">
      <h3 id="dedup-counts">{t('benefRuns.runs.countsTitle')}</h3>
      <ul className="stat-grid">
        {COUNT_KEYS.map((k) => (
          <li key={k} className="stat" data-count={k}>
            <span className="stat-value">{formatNumber(counts[k])}</span>
            <span className="stat-label">{t(`benefRuns.runs.counts.${k}`)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

// Numbers and their units stay on one line in narrow table cells.

const seconds = (ms: number) => formatNumber(Math.round(ms / 100) / 10);

function Timings({ timings }: { timings: Record<string, number> }) {
  const { t } = useTranslation();
  const rows: { key: string; label: string; ms: number }[] = PHASES.filter((p) => typeof timings[p] === 'number').map((p) => ({
    key: p,
    label: t(`benefRuns.runs.phases.${p}`),
    ms: timings[p],
  }));
  if (typeof timings.total === 'number') rows.push({ key: 'total', label: t('benefRuns.runs.timingTotal'), ms: timings.total });
  return (
    <details className="panel">
      <summary>{t('benefRuns.runs.timingsTitle')}</summary>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('benefRuns.runs.phase')}</th>
              <th scope="col">{t('benefRuns.runs.time')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="nowrap">{t('benefRuns.runs.seconds', { value: seconds(r.ms) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The run model's own labels (src/lib/linkage/beneficiary.ts) beyond those the review pages know. */
const RUN_LEVEL_KEYS: Record<string, string> = {
  'exact, rare name': 'rareName',
  'exact, uncommon name': 'uncommonName',
  'exact, common name': 'commonName',
  'jaro-winkler ≥ 0.92': 'similar92',
  'jaro-winkler ≥ 0.8': 'similar80',
  'shortened (token subset)': 'shortened',
  'one digit (region)': 'digitRegion',
  'one digit (birth date)': 'digitBirth',
  'else (incl. one serial digit)': 'elseSerial',
  'same address or phone': 'samePhoneAddress',
};

/** Compact enough for a phone: three decimals, or one significant digit and a power of ten below 0.001. */
const prob = (v: number | null) => {
  if (v === null) return '–';
  if (v === 0 || v >= 0.001) return v.toFixed(3);
  const [mantissa, exponent] = v.toExponential(0).split('e');
  return `${mantissa}·10${[...exponent].map((c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)] ?? '').join('')}`;
};

function Model({ parameters }: { parameters: DedupRunParameters }) {
  const { t } = useTranslation();
  return (
    <details className="panel">
      <summary>{t('benefRuns.runs.modelTitle')}</summary>
      <p className="hint">{t('benefRuns.runs.modelLead')}</p>
      <p className="muted">
        {t('benefRuns.runs.modelLine', {
          lambda: prob(parameters.lambda),
          iterations: parameters.iterations,
          converged: t(parameters.converged ? 'benefRuns.runs.converged' : 'benefRuns.runs.notConverged'),
        })}
      </p>
      <div className="table-wrap">
        <table className="data-table model-table">
          <thead>
            <tr>
              <th scope="col">{t('benefRuns.runs.level')}</th>
              <th scope="col">m</th>
              <th scope="col">u</th>
              <th scope="col">{t('benefRuns.runs.weight')}</th>
            </tr>
          </thead>
          {parameters.fields.map((f) => (
            <tbody key={f.field}>
              <tr>
                <th scope="rowgroup" colSpan={4}>
                  {t(`benefRuns.runs.fields.${f.field}`, { defaultValue: f.field })}
                </th>
              </tr>
              {f.levels.map((l) => (
                <tr key={l.label}>
                  <td>{RUN_LEVEL_KEYS[l.label] ? t(`benefRuns.runs.levels.${RUN_LEVEL_KEYS[l.label]}`) : levelText(t, l.label)}</td>
                  <td className="nowrap">{prob(l.m)}</td>
                  <td className="nowrap">{prob(l.u)}</td>
                  <td className="nowrap">
                    {l.weight > 0 ? '+' : ''}
                    {l.weight.toFixed(1)}
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </details>
  );
}

function MergePanel({ run }: { run: DedupRun }) {
  const { t } = useTranslation();
  const session = useSession();
  const merge = usePolled<ClearMatchMerge>(`/api/beneficiaries/dedup-runs/${run.id}/merge-clear-matches`, (m) => isActive(m.status));
  const start = useAction(() => api.post<ClearMatchMergeStarted>(`/api/beneficiaries/dedup-runs/${run.id}/merge-clear-matches`));
  const m = merge.data;
  if (!m) return merge.error ? <ProblemAlert error={merge.error} onRetry={merge.reload} /> : <Loading />;
  const active = isActive(m.status);
  const mayMerge = hasPermission(session, 'beneficiaries.manage');
  const onMerge = async () => {
    if (!window.confirm(t('benefRuns.runs.mergeConfirm', { count: m.pairs.mergeable, id: run.id }))) return;
    const started = await start.run();
    if (started) merge.set(started);
  };
  const pairKeys = ['mergeable', 'merged', 'notSame', 'later', 'pending'] as const;

  return (
    <section className="panel stack" aria-labelledby="dedup-merge">
      <div className="page-head">
        <h3 id="dedup-merge">{t('benefRuns.runs.mergeTitle')}</h3>
        {m.status !== 'none' && <JobStatusBadge status={m.status} />}
      </div>
      <p>{t('benefRuns.runs.mergeLead')}</p>
      <ul className="stat-grid">
        {pairKeys
          .filter((k) => k === 'mergeable' || k === 'merged' || m.pairs[k] > 0)
          .map((k) => (
            <li key={k} className="stat" data-merge={k}>
              <span className="stat-value">{formatNumber(m.pairs[k])}</span>
              <span className="stat-label">{t(`benefRuns.runs.mergePairs.${k}`)}</span>
            </li>
          ))}
      </ul>
      <div aria-live="polite" className="sr-only">
        {t(`benefRuns.statuses.${m.status}`)}
      </div>
      {active && (
        <JobBar
          label={t('benefRuns.runs.mergeLabel')}
          progress={m.progress}
          phaseText={(p) => t(`benefRuns.runs.mergePhases.${p}`, { defaultValue: p })}
          waitingText={t('benefRuns.import.waiting')}
        />
      )}
      {m.status === 'done' && !active && (
        <div className="alert alert-ok" role="status">
          <p>{t('benefRuns.runs.mergeDone')}</p>
          {m.pairs.mergeable > 0 && <p>{t('benefRuns.runs.mergeLeft', { count: m.pairs.mergeable })}</p>}
        </div>
      )}
      {m.status === 'failed' && (
        <div className="alert alert-error" role="alert">
          <p>{t('benefRuns.runs.mergeFailed', { error: m.error ?? '' })}</p>
        </div>
      )}
      <ProblemAlert error={start.error ?? merge.error} />
      {!active && m.pairs.mergeable === 0 && m.status === 'none' && <p className="muted">{t('benefRuns.runs.mergeNothing')}</p>}
      {!active && m.pairs.mergeable > 0 && mayMerge && (
        <div className="actions">
          <button type="button" className="btn btn-primary" disabled={start.busy} onClick={() => void onMerge()}>
            {t('benefRuns.runs.mergeButton', { count: m.pairs.mergeable })}
          </button>
        </div>
      )}
      {!mayMerge && <p className="muted">{t('benefRuns.runs.mergeNoPermission')}</p>}
      <p className="hint">{t('benefRuns.runs.mergeSkipNote')}</p>
    </section>
  );
}
