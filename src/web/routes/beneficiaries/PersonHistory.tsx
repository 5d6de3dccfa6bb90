import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BeneficiaryPerson, BeneficiaryRecord } from '../../api/types.ts';
import { formatDate } from '../../format.ts';
import { formatPercent } from './shared.tsx';

/** How linkage placed a record when it arrived: "linked automatically (99.8%)", "sent to review", "new". */
export function LinkOutcome({ record }: { record: BeneficiaryRecord }) {
  const { t, i18n } = useTranslation();
  const { outcome, probability } = record.link;
  const chance = probability === null ? '' : formatPercent(probability, i18n.language);
  return <p className="muted benef-link">{t(`beneficiaries.linkOutcome.${outcome}`, { chance })}</p>;
}

/**
 * A person's history, newest first: the merges that made them (each undoable while it is the
 * latest) and the records split off them. Merges and splits come with the person (the API keeps
 * them), so the history is complete whoever made them and from wherever.
 */
export function PersonHistory({
  person,
  mayManage,
  busy,
  onUndo,
}: {
  person: BeneficiaryPerson;
  mayManage: boolean;
  busy: boolean;
  onUndo: (mergeId: number) => void;
}) {
  const { t, i18n } = useTranslation();
  type Item = { at: string; key: string; node: React.ReactNode };
  const items: Item[] = [
    ...person.merges.map((m) => ({
      at: m.mergedAt,
      key: `m${m.id}`,
      node: (
        <>
          <p>
            <strong>{t('beneficiaries.mergeItem', { id: m.id, from: m.fromPerson, into: m.intoPerson, records: m.movedRecordIds.map((r) => `#${r}`).join(', ') })}</strong>
            <span className="muted"> · {formatDate(m.mergedAt, i18n.language)}</span>
          </p>
          {m.note && <p className="muted">{t('beneficiaries.historyNote', { note: m.note })}</p>}
          {m.undoneAt && <p className="muted">{t('beneficiaries.mergeUndoneAt', { date: formatDate(m.undoneAt, i18n.language) })}</p>}
          <div className="button-row">
            {mayManage && !m.undoneAt && m.intoPerson === person.id && (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => onUndo(m.id)}>
                {t('beneficiaries.undo')}
              </button>
            )}
            {m.candidateId !== null && (
              <Link className="btn" to={`/penerima/duplikat/${m.candidateId}`}>
                {t('beneficiaries.openPair')}
              </Link>
            )}
          </div>
        </>
      ),
    })),
    ...person.splits.map((x) => ({
      at: x.splitAt,
      key: `s${x.id}`,
      node: (
        <>
          <p>
            <strong>
              {x.fromPerson === person.id
                ? t('beneficiaries.splitOffItem', { record: x.recordId, to: x.newPerson })
                : t('beneficiaries.splitFromItem', { record: x.recordId, from: x.fromPerson })}
            </strong>
            <span className="muted"> · {formatDate(x.splitAt, i18n.language)}</span>
          </p>
          {x.note && <p className="muted">{t('beneficiaries.historyNote', { note: x.note })}</p>}
          <p>
            <Link to={`/penerima/orang/${x.fromPerson === person.id ? x.newPerson : x.fromPerson}`}>
              {t('beneficiaries.openPerson', { id: x.fromPerson === person.id ? x.newPerson : x.fromPerson })}
            </Link>
          </p>
        </>
      ),
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">{t('beneficiaries.history')}</h2>
      {items.length === 0 ? (
        <p>{t('beneficiaries.historyEmpty')}</p>
      ) : (
        <ul className="benef-history">
          {items.map((i) => (
            <li key={i.key}>{i.node}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
