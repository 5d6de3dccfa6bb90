import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { BeneficiaryPerson, PersonMerge, PersonSplit } from '../../api/types.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { LinkOutcome, PersonHistory } from './PersonHistory.tsx';
import { RecordFacts, sourceText } from './shared.tsx';
import { BenefitLedger } from './ledger.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/beneficiaries.ts';

addStrings(strings);

/**
 * /penerima/orang/:id — one person: the stable id, the records every source holds of them
 * (masked, revealable with a reason), how each record was linked, and the merges and splits
 * that made them, with undo and split for managers.
 */
export default function PersonPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { id } = useParams();
  const person = useApi<BeneficiaryPerson>(`/api/beneficiaries/persons/${encodeURIComponent(id ?? '')}`);
  const p = person.data;
  const mayManage = hasPermission(session, 'beneficiaries.manage');
  const [notice, setNotice] = useState<string | null>(null);
  useDocumentTitle(p ? t('beneficiaries.personTitle', { id: p.id }) : t('beneficiaries.title'));

  const undo = useAction(async (mergeId: number) => {
    if (!window.confirm(t('beneficiaries.undoConfirm'))) return;
    await api.post<PersonMerge>(`/api/beneficiaries/merges/${mergeId}/undo`);
    setNotice(t('beneficiaries.undone'));
    person.reload();
  });

  const split = useAction(async (recordId: number) => {
    const note = window.prompt(t('beneficiaries.splitConfirm', { record: recordId }));
    if (note === null) return;
    const res = await api.post<{ split: PersonSplit; person: number }>(`/api/beneficiaries/records/${recordId}/split`, { note: note.trim() || null });
    setNotice(t('beneficiaries.splitDone', { record: recordId, person: res.person }));
    person.reload();
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
                  <LinkOutcome record={r} />
                  <RecordFacts record={r} />
                  {mayManage && p.records.length + p.hiddenRecords > 1 && (
                    <div className="button-row">
                      <button type="button" className="btn" disabled={split.busy} onClick={() => void split.run(r.id)}>
                        {t('beneficiaries.split')}
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
            {p.hiddenRecords > 0 && <p className="note">{t('beneficiaries.hiddenRecords', { count: p.hiddenRecords })}</p>}
          </section>

          <BenefitLedger personId={p.id} />

          <ProblemAlert error={undo.error ?? split.error} />
          <PersonHistory person={p} mayManage={mayManage} busy={undo.busy} onUndo={(id) => void undo.run(id)} />
        </>
      )}
    </div>
  );
}
