import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { BeneficiaryPerson, DuplicateCandidate, PersonMerge } from '../../api/types.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { RecordFacts, sourceText } from './shared.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaries.ts';

addStrings(strings);

/**
 * /penerima/orang/:id — one person: the stable id, the records every source holds of them
 * (masked, revealable with a reason), and the merges that made them, with undo for managers.
 */
export default function PersonPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { id } = useParams();
  const person = useApi<BeneficiaryPerson>(`/api/beneficiaries/persons/${encodeURIComponent(id ?? '')}`);
  const p = person.data;
  const mayManage = hasPermission(session, 'beneficiaries.manage');
  // The API has no merge list per person: the merged pairs of the queue whose records are this
  // person's stand in for it (merges made through the review queue, which is every merge today).
  const merged = useApi<{ items: DuplicateCandidate[]; total: number }>(p && mayManage ? '/api/beneficiaries/duplicates?status=merged&limit=200' : null);
  const recordIds = new Set(p?.records.map((r) => r.id) ?? []);
  const history = (merged.data?.items ?? []).filter((c) => c.mergeId !== null && (recordIds.has(c.recordA.id) || recordIds.has(c.recordB.id)));
  const [notice, setNotice] = useState<string | null>(null);
  useDocumentTitle(p ? t('beneficiaries.personTitle', { id: p.id }) : t('beneficiaries.title'));

  const undo = useAction(async (mergeId: number) => {
    if (!window.confirm(t('beneficiaries.undoConfirm'))) return;
    await api.post<PersonMerge>(`/api/beneficiaries/merges/${mergeId}/undo`);
    setNotice(t('beneficiaries.undone'));
    person.reload();
    merged.reload();
  });

  return (
    <div className="stack">
      <p>
        <Link to="/penerima">← {t('beneficiaries.backToSearch')}</Link>
      </p>
      <ProblemAlert error={person.error} onRetry={person.reload} />
      {person.loading && !p && <Loading />}
      {p && (
        <>
          <div className="page-head">
            <h1>{t('beneficiaries.personTitle', { id: p.id })}</h1>
          </div>
          <p className="lead">{t('beneficiaries.personLead')}</p>
          {p.requestedId !== p.id && (
            <div className="alert alert-info" role="status">
              <p>{t('beneficiaries.personRedirected', { requested: p.requestedId })}</p>
            </div>
          )}
          <Notice>{notice}</Notice>

          <section aria-labelledby="records-title" className="stack">
            <h2 id="records-title">{t('beneficiaries.records', { count: p.records.length })}</h2>
            <ul className="benef-records">
              {p.records.map((r) => (
                <li key={r.id} className="panel" aria-labelledby={`record-${r.id}`}>
                  <h3 id={`record-${r.id}`} className="benef-record-title">
                    {r.fullName} <span className="muted">· {t('beneficiaries.recordTitle', { id: r.id })}</span>
                  </h3>
                  <p className="muted benef-source">{sourceText(t, r)}</p>
                  <RecordFacts record={r} />
                </li>
              ))}
            </ul>
            {p.hiddenRecords > 0 && <p className="note">{t('beneficiaries.hiddenRecords', { count: p.hiddenRecords })}</p>}
          </section>

          {mayManage && (
            <section className="panel" aria-labelledby="history-title">
              <h2 id="history-title">{t('beneficiaries.history')}</h2>
              <ProblemAlert error={merged.error} onRetry={merged.reload} />
              <ProblemAlert error={undo.error} />
              {merged.loading && !merged.data && <Loading />}
              {merged.data && history.length === 0 && <p>{t('beneficiaries.historyEmpty')}</p>}
              {history.length > 0 && (
                <ul className="benef-history">
                  {history.map((c) => (
                    <li key={c.id}>
                      <p>
                        <strong>{t('beneficiaries.historyItem', { candidate: c.id, a: c.recordA.id, b: c.recordB.id })}</strong>
                        {c.decidedAt && <span className="muted"> · {formatDate(c.decidedAt, i18n.language)}</span>}
                      </p>
                      {c.note && <p className="muted">{t('beneficiaries.historyNote', { note: c.note })}</p>}
                      <div className="button-row">
                        <button type="button" className="btn btn-danger" disabled={undo.busy} onClick={() => void undo.run(c.mergeId!)}>
                          {t('beneficiaries.undo')}
                        </button>
                        <Link className="btn" to={`/penerima/duplikat/${c.id}`}>
                          {t('beneficiaries.openPair')}
                        </Link>
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <p className="hint">{t('beneficiaries.historyPartial')}</p>
            </section>
          )}
        </>
      )}
    </div>
  );
}
