import { Fragment, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ImportBatch, ImportField } from '../../api/types.ts';
import { ProblemAlert } from '../../components/Problem.tsx';
import { useAction } from '../../hooks.ts';
import { headersOf } from './shared.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

/**
 * Which file column feeds which field, with a select per field to change it; applying re-checks
 * every row on the server. Servers that do not send the file's headers cannot take a new mapping:
 * then the mapping is only shown.
 */
export function MappingPanel({ batch, fields, onChange }: { batch: ImportBatch; fields: ImportField[]; onChange: (b: ImportBatch) => void }) {
  const { t } = useTranslation();
  const headers = headersOf(batch);
  const editable = !!batch.headers?.length;
  const current = (key: string) => batch.mapping?.[key] ?? '';
  const fromBatch = () => Object.fromEntries(fields.map((f) => [f.key, current(f.key)]));
  const [draft, setDraft] = useState<Record<string, string>>(fromBatch);
  // A re-checked batch brings its own mapping: start the selects from it again.
  const mappingKey = JSON.stringify(batch.mapping ?? {});
  const [draftOf, setDraftOf] = useState(mappingKey);
  if (draftOf !== mappingKey) {
    setDraftOf(mappingKey);
    setDraft(fromBatch());
  }
  const titleRef = useRef<HTMLHeadingElement>(null);
  // Open at once when the mapping is the likely culprit: failed, a required field without a column, or no valid row.
  const [open, setOpen] = useState(
    batch.status === 'failed' || fields.some((f) => f.required && !current(f.key)) || (batch.rows > 0 && batch.valid === 0),
  );
  const apply = useAction((mapping: Record<string, string | null>) =>
    api.post<ImportBatch>(`/api/registry/imports/${batch.id}/mapping`, { mapping }),
  );
  const baseId = useId();

  const changed = fields.some((f) => (draft[f.key] ?? '') !== current(f.key));
  const usedBy = new Map<string, string[]>();
  for (const f of fields) if (draft[f.key]) usedBy.set(draft[f.key], [...(usedBy.get(draft[f.key]) ?? []), f.key]);
  const missingRequired = fields.filter((f) => f.required && !draft[f.key]);
  const clashes = [...usedBy.values()].some((keys) => keys.length > 1);
  const mappedCount = fields.filter((f) => current(f.key)).length;
  const unmapped = batch.unmapped ?? [];

  const submit = async () => {
    const mapping = Object.fromEntries(fields.map((f) => [f.key, draft[f.key] ? draft[f.key] : null]));
    const next = await apply.run(mapping);
    if (next) {
      onChange(next);
      // The button just pressed is now disabled: keep keyboard and screen-reader users in place.
      titleRef.current?.focus();
    }
  };

  return (
    <section className="panel" aria-labelledby={`${baseId}-title`}>
      <h2 id={`${baseId}-title`} ref={titleRef} tabIndex={-1}>
        {t('importer.mappingTitle')}
      </h2>
      <p className="muted">
        {t('importer.mappingSummary', { mapped: mappedCount, total: fields.length })}
        {unmapped.length > 0 && ` ${t('importer.unmappedSummary', { count: unmapped.length })}`}
      </p>
      {unmapped.length > 0 && (
        <p className="hint break">
          {t('importer.unmappedList')}: {unmapped.join(', ')}
        </p>
      )}
      <details className="mapping-details" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>{editable ? t('importer.mappingEdit') : t('importer.mappingShow')}</summary>
        {editable ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <p className="hint">{t('importer.mappingHint')}</p>
            <div className="mapping-grid">
              {fields.map((f) => {
                const selectId = `${baseId}-${f.key}`;
                const clash = draft[f.key] && (usedBy.get(draft[f.key])?.length ?? 0) > 1;
                const missing = f.required && !draft[f.key];
                const problem = missing ? t('importer.requiredMissing') : clash ? t('importer.columnTwice') : null;
                return (
                  <div key={f.key} className={`field${problem ? ' field-invalid' : ''}`}>
                    <label htmlFor={selectId}>
                      {f.label}
                      {f.required && <span className="required-mark"> ({t('importer.required')})</span>}
                    </label>
                    <select
                      id={selectId}
                      value={draft[f.key] ?? ''}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={problem ? `${selectId}-error` : undefined}
                      disabled={apply.busy}
                      onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
                    >
                      <option value="">{t('importer.notUsed')}</option>
                      {headers.map((h) => (
                        <option key={h} value={h}>
                          {h}
                        </option>
                      ))}
                    </select>
                    {problem && (
                      <p className="field-error" id={`${selectId}-error`}>
                        {problem}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
            <ProblemAlert error={apply.error} />
            <div className="actions">
              <button type="submit" className="btn btn-primary" disabled={!changed || apply.busy || missingRequired.length > 0 || clashes}>
                {apply.busy ? t('importer.mappingApplying') : t('importer.mappingApply')}
              </button>
              {changed && (
                <button
                  type="button"
                  className="btn"
                  disabled={apply.busy}
                  onClick={() => setDraft(fromBatch())}
                >
                  {t('importer.mappingReset')}
                </button>
              )}
            </div>
          </form>
        ) : (
          <dl className="facts mapping-facts">
            {fields.map((f) => (
              <Fragment key={f.key}>
                <dt>{f.label}</dt>
                <dd className="break">{current(f.key) || <span className="muted">{t('importer.notUsed')}</span>}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </details>
    </section>
  );
}
