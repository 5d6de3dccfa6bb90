import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

export interface SummaryItem {
  /** The `name` of the input the error belongs to (the link moves focus there); '_' for the whole form. */
  field: string;
  message: string;
}

/** Focuses the input named `field` (or the first input inside a group so named). */
export function focusField(field: string): void {
  const el =
    document.querySelector<HTMLElement>(`[name="${CSS.escape(field)}"]`) ??
    document.querySelector<HTMLElement>(`[data-field="${CSS.escape(field)}"] input, [data-field="${CSS.escape(field)}"] select`);
  el?.focus();
  el?.scrollIntoView({ block: 'center' });
}

/**
 * The list of what to fix, above the form: it takes focus when it appears (or when `attempt`
 * changes, i.e. on every refused submission) so screen readers and phone users land on it, and
 * each item moves focus to its field.
 */
export function ErrorSummary({ items, attempt }: { items: SummaryItem[]; attempt: number }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const shown = items.length > 0;
  useEffect(() => {
    if (shown && attempt > 0) ref.current?.focus();
  }, [shown, attempt]);
  if (!shown) return null;
  return (
    <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={titleId}>
      <p id={titleId}>
        <strong>{t('selfForm.summaryTitle')}</strong> {t('selfForm.summaryCount', { count: items.length })}
      </p>
      <ul>
        {items.map((it) => (
          <li key={`${it.field}:${it.message}`}>
            {it.field === '_' ? (
              it.message
            ) : (
            <a
              href={`#${it.field}`}
              onClick={(e) => {
                e.preventDefault();
                focusField(it.field);
              }}
            >
              {it.message}
            </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
