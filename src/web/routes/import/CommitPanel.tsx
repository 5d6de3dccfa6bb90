import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ImportBatch } from '../../api/types.ts';
import { ProblemAlert } from '../../components/Problem.tsx';
import { formatNumber } from '../../format.ts';
import { useAction } from '../../hooks.ts';
import { plannedWrites } from './shared.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

type Mode = 'all_or_nothing' | 'valid_only';

/** The commit choice, and a confirmation that says in numbers what will be written. */
export function CommitPanel({ batch, onChange }: { batch: ImportBatch; onChange: (b: ImportBatch) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [mode, setMode] = useState<Mode>(batch.invalid > 0 ? 'valid_only' : 'all_or_nothing');
  const [skipDuplicates, setSkipDuplicates] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const commit = useAction(() => api.post<ImportBatch>(`/api/registry/imports/${batch.id}/commit`, { mode, skipDuplicates }));

  const plan = plannedWrites(batch, skipDuplicates);
  const blocked = mode === 'all_or_nothing' && batch.invalid > 0;
  const nothing = plan.count === 0;
  const kind = batch.kind;
  const modeError = commit.error?.fieldErrors().mode;

  const onConfirm = async () => {
    // On failure the confirmation stays open with the reason in it.
    const next = await commit.run();
    if (next) onChange(next);
  };

  return (
    <section className="panel commit-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('importer.commitTitle')}</h2>
      <fieldset className="fieldset" disabled={confirming || commit.busy}>
        <legend>{t('importer.modeLegend')}</legend>
        <label className="check choice">
          <input type="radio" name={`${id}-mode`} checked={mode === 'valid_only'} onChange={() => setMode('valid_only')} />
          <span>
            <strong>{t('importer.modeValidOnly')}</strong>
            <span className="hint">
              {batch.invalid > 0
                ? t('importer.modeValidOnlyHint', { count: batch.invalid, n: formatNumber(batch.invalid) })
                : t('importer.modeValidOnlyHintNone')}
            </span>
          </span>
        </label>
        <label className="check choice">
          <input type="radio" name={`${id}-mode`} checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} />
          <span>
            <strong>{t('importer.modeAll')}</strong>
            <span className="hint">{t('importer.modeAllHint')}</span>
          </span>
        </label>
      </fieldset>
      {blocked && (
        <p className="field-error" role="alert">
          {t('importer.modeAllBlocked', { count: batch.invalid, n: formatNumber(batch.invalid) })}
        </p>
      )}
      {batch.duplicates > 0 && (
        <label className="check choice">
          <input type="checkbox" checked={skipDuplicates} disabled={confirming || commit.busy} onChange={(e) => setSkipDuplicates(e.target.checked)} />
          <span>
            <strong>{t('importer.skipDuplicates', { count: batch.duplicates, n: formatNumber(batch.duplicates) })}</strong>
            <span className="hint">{t(kind === 'members' ? 'importer.skipDuplicatesHintMembers' : 'importer.skipDuplicatesHint')}</span>
          </span>
        </label>
      )}

      {!confirming ? (
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={blocked || nothing}
            onClick={() => {
              commit.setError(null);
              setConfirming(true);
              requestAnimationFrame(() => confirmRef.current?.focus());
            }}
          >
            {t('importer.continue')}
          </button>
          {nothing && !blocked && <p className="hint">{t('importer.nothingToWrite')}</p>}
        </div>
      ) : (
        <div className="confirm-box" ref={confirmRef} tabIndex={-1} role="group" aria-labelledby={`${id}-confirm`}>
          <h3 id={`${id}-confirm`}>{t('importer.confirmTitle')}</h3>
          <ul>
            <li>
              <strong>
                {t(plan.exact ? `importer.willWrite.${kind}` : `importer.willWriteAtMost.${kind}`, { count: plan.count, n: formatNumber(plan.count) })}
              </strong>
            </li>
            {mode === 'valid_only' && batch.invalid > 0 && <li>{t('importer.willSkipInvalid', { count: batch.invalid, n: formatNumber(batch.invalid) })}</li>}
            {plan.duplicatesSkipped > 0 && (
              <li>{t('importer.willSkipDuplicates', { count: plan.duplicatesSkipped, n: formatNumber(plan.duplicatesSkipped) })}</li>
            )}
            {!skipDuplicates && batch.duplicates > 0 && <li>{t('importer.willWriteDuplicates')}</li>}
            <li>{t('importer.atomic')}</li>
          </ul>
          {modeError && <p className="field-error">{modeError}</p>}
          <ProblemAlert error={commit.error} inlineFields={['mode']} />
          <div className="actions">
            <button type="button" className="btn btn-primary" disabled={commit.busy} onClick={() => void onConfirm()}>
              {commit.busy
                ? t('importer.committing')
                : plan.exact
                  ? t(`importer.confirmButton.${kind}`, { count: plan.count, n: formatNumber(plan.count) })
                  : t('importer.confirmButtonPlain')}
            </button>
            <button type="button" className="btn" disabled={commit.busy} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
