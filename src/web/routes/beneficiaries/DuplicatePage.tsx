import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import type { BeneficiaryRecord, DuplicateCandidate, DuplicateDecisionResult, MatchContribution, PersonMerge } from '../../api/types.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { DuplicateStatusBadge, fieldText, formatBits, formatPercent, levelText, sourceText, verdictOf } from './shared.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaries.ts';

addStrings(strings);

/** Bars are drawn on a ±15-bit scale: about the largest single contribution (a matching NIK, +12). */
const BAR_SCALE = 15;

function useFieldValue() {
  const { t, i18n } = useTranslation();
  const none = t('common.none');
  return (field: string, r: BeneficiaryRecord): string => {
    switch (field) {
      case 'name':
        return r.fullName;
      case 'birth_date':
        return r.birthDate ? formatDate(r.birthDate, i18n.language) : none;
      case 'nik':
        return r.nik ?? none;
      case 'sex':
        return r.sex ? t(`beneficiaries.sexes.${r.sex}`) : none;
      case 'regency':
        return r.regency.name ?? r.regency.code;
      case 'household': {
        const parts = [
          r.kk && `${t('beneficiaries.fields.kk')} ${r.kk}`,
          r.phone && `${t('beneficiaries.fields.phone')} ${r.phone}`,
          r.address && `${t('beneficiaries.fields.address')} ${r.address}`,
        ].filter(Boolean);
        return parts.length ? parts.join(' · ') : none;
      }
      default:
        return none;
    }
  };
}

/** A contribution as a bar from the middle (right: for, left: against) with its value and its meaning in words. */
function ContributionBar({ weight, label, level, plain }: { weight: number; label: string; level?: string; plain?: string }) {
  const { t, i18n } = useTranslation();
  const verdict = verdictOf(weight, label);
  const width = Math.min(50, (Math.abs(weight) / BAR_SCALE) * 50);
  return (
    <div className={`contrib contrib-${verdict}`}>
      <div className="contrib-bar" aria-hidden="true">
        <span className="contrib-axis" />
        {width > 0 && <span className={`contrib-fill ${weight >= 0 ? 'is-for' : 'is-against'}`} style={{ width: `${width}%` }} />}
      </div>
      <p className="contrib-text">
        <strong className="contrib-bits">{t('beneficiaries.bits', { value: formatBits(weight, i18n.language) })}</strong>
        {' · '}
        {plain ? <span className="muted">{plain}</span> : <span className="contrib-verdict">{t(`beneficiaries.verdict.${verdict}`)}</span>}
        {level && <span className="muted"> ({level})</span>}
      </p>
    </div>
  );
}

function CompareItem({ c, a, b }: { c: MatchContribution; a: BeneficiaryRecord; b: BeneficiaryRecord }) {
  const { t } = useTranslation();
  const value = useFieldValue();
  return (
    <li className="compare-item" data-field={c.field}>
      <h3 className="compare-field">{fieldText(t, c.field)}</h3>
      <dl className="compare-values">
        <div>
          <dt>{t('beneficiaries.recordA')}</dt>
          <dd className="break">{value(c.field, a)}</dd>
        </div>
        <div>
          <dt>{t('beneficiaries.recordB')}</dt>
          <dd className="break">{value(c.field, b)}</dd>
        </div>
      </dl>
      <ContributionBar weight={c.weight} label={c.label} level={levelText(t, c.label)} />
    </li>
  );
}

/**
 * /penerima/duplikat/:id — a possible duplicate side by side (stacked field by field on a phone),
 * each field's contribution, and the decision: merge, not the same person, later. A merge can be
 * undone at once ("Urungkan") with the merge id the decision returns.
 */
export default function DuplicatePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { id } = useParams();
  const pair = useApi<DuplicateCandidate>(`/api/beneficiaries/duplicates/${encodeURIComponent(id ?? '')}`);
  const c = pair.data;
  const mayManage = hasPermission(session, 'beneficiaries.manage');
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  useDocumentTitle(c ? t('beneficiaries.pairTitle', { id: c.id }) : t('beneficiaries.queueTitle'));

  const decide = useAction(async (decision: 'merge' | 'not_same' | 'later') => {
    if (!c) return;
    setNotice(null);
    setConflict(false);
    try {
      const res = await api.post<DuplicateDecisionResult>(`/api/beneficiaries/duplicates/${c.id}/decision`, {
        decision,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      pair.setData(res.candidate);
      setNote('');
      setNotice(
        decision === 'merge'
          ? t('beneficiaries.merged', { person: res.merge?.intoPerson ?? res.candidate.recordA.personId })
          : t(decision === 'not_same' ? 'beneficiaries.markedNotSame' : 'beneficiaries.markedLater'),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(true);
        pair.reload();
        return;
      }
      throw err;
    }
  });

  const undo = useAction(async (mergeId: number) => {
    setNotice(null);
    setConflict(false);
    try {
      await api.post<PersonMerge>(`/api/beneficiaries/merges/${mergeId}/undo`);
      setNotice(t('beneficiaries.undone'));
    } finally {
      pair.reload();
    }
  });

  const open = c && (c.status === 'pending' || c.status === 'later');
  return (
    <div className="stack">
      <p>
        <Link to="/penerima/duplikat">← {t('beneficiaries.backToQueue')}</Link>
      </p>
      <ProblemAlert error={pair.error} onRetry={pair.reload} />
      {pair.loading && !c && <Loading />}
      {c && (
        <>
          <div className="page-head">
            <h1>{t('beneficiaries.pairTitle', { id: c.id })}</h1>
            <DuplicateStatusBadge status={c.status} />
          </div>

          <section className="panel benef-summary" aria-label={t('beneficiaries.totalScore')}>
            <p className="benef-total">{t('beneficiaries.totalLine', { score: formatBits(c.score, i18n.language), probability: formatPercent(c.probability, i18n.language) })}</p>
            <div className="benef-pair-heads">
              {([
                ['recordA', c.recordA],
                ['recordB', c.recordB],
              ] as const).map(([key, r]) => (
                <div key={key} className="benef-pair-head">
                  <h2>{t(`beneficiaries.${key}`)}</h2>
                  <p>
                    <strong>{r.fullName}</strong>
                    <br />
                    <span className="muted">
                      {sourceText(t, r)} · {t('beneficiaries.recordTitle', { id: r.id })}
                    </span>
                    <br />
                    <Link to={`/penerima/orang/${r.personId}`}>{t('beneficiaries.viewPerson', { id: r.personId })}</Link>
                  </p>
                </div>
              ))}
            </div>
            {c.samePerson && c.status !== 'merged' && <p className="note">{t('beneficiaries.samePersonAlready')}</p>}
          </section>

          <section className="panel" aria-labelledby="compare-title">
            <h2 id="compare-title">{t('beneficiaries.compareTitle')}</h2>
            <p className="hint">{t('beneficiaries.compareLead')}</p>
            <ol className="compare-list">
              {c.contributions.map((x) => (
                <CompareItem key={x.field} c={x} a={c.recordA} b={c.recordB} />
              ))}
              <li className="compare-item compare-prior">
                <h3 className="compare-field">{t('beneficiaries.prior')}</h3>
                <ContributionBar weight={c.priorWeight} label="prior" plain={t('beneficiaries.priorHint')} />
              </li>
              <li className="compare-item compare-total">
                <h3 className="compare-field">{t('beneficiaries.totalScore')}</h3>
                <ContributionBar weight={c.score} label="total" />
                <p>
                  {t('beneficiaries.probability')}: <strong>{formatPercent(c.probability, i18n.language)}</strong>
                </p>
              </li>
            </ol>
          </section>

          <Notice>{notice}</Notice>
          {conflict && (
            <div className="alert alert-error" role="alert">
              <p>{t('beneficiaries.conflict')}</p>
              <button type="button" className="btn" onClick={pair.reload}>
                {t('beneficiaries.reload')}
              </button>
            </div>
          )}

          {!open && (
            <section className="panel" aria-labelledby="decided-title">
              <h2 id="decided-title">{t('beneficiaries.decisionTitle')}</h2>
              <p>
                {t('beneficiaries.decided', { status: t(`beneficiaries.statuses.${c.status}`) })}
                {c.decidedAt && <span className="muted"> · {formatDate(c.decidedAt, i18n.language)}</span>}
              </p>
              {c.note && <p>{t('beneficiaries.decidedNote', { note: c.note })}</p>}
              <ProblemAlert error={undo.error} />
              <div className="button-row">
                {c.status === 'merged' && c.mergeId !== null && mayManage && (
                  <button type="button" className="btn btn-danger" disabled={undo.busy} onClick={() => void undo.run(c.mergeId!)}>
                    {t('beneficiaries.undo')}
                  </button>
                )}
                {c.status === 'merged' && (
                  <Link className="btn" to={`/penerima/orang/${c.recordA.personId}`}>
                    {t('beneficiaries.viewPerson', { id: c.recordA.personId })}
                  </Link>
                )}
              </div>
            </section>
          )}

          {open && !mayManage && <p className="note">{t('beneficiaries.noManage')}</p>}
          {open && mayManage && (
            <section className="panel" aria-labelledby="decision-title">
              <h2 id="decision-title">{t('beneficiaries.decisionTitle')}</h2>
              <p>{t('beneficiaries.decisionHint')}</p>
              <div className="field">
                <label htmlFor="decision-note">{t('beneficiaries.note')}</label>
                <textarea
                  id="decision-note"
                  rows={2}
                  maxLength={500}
                  value={note}
                  aria-describedby="decision-note-hint"
                  onChange={(e) => setNote(e.target.value)}
                />
                <p className="hint" id="decision-note-hint">
                  {t('beneficiaries.noteHint')}
                </p>
              </div>
              <ProblemAlert error={decide.error} />
              <div className="button-row">
                <button type="button" className="btn btn-primary" disabled={decide.busy} onClick={() => void decide.run('merge')}>
                  {t('beneficiaries.merge')}
                </button>
                <button type="button" className="btn btn-danger" disabled={decide.busy} onClick={() => void decide.run('not_same')}>
                  {t('beneficiaries.notSame')}
                </button>
                <button type="button" className="btn" disabled={decide.busy} onClick={() => void decide.run('later')}>
                  {t('beneficiaries.later')}
                </button>
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}
