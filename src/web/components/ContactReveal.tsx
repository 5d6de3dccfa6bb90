import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useAction } from '../hooks.ts';
import { Field } from './Field.tsx';
import { ProblemAlert } from './Problem.tsx';

export interface RevealLabels {
  button: string;
  reason: string;
  hint: string;
  submit: string;
}

/**
 * A contact phone (or another `field`) the server sends masked, shown in clear after the user
 * gives a reason (`POST <endpoint>` with `{ field, reason }`, logged by the server).
 */
export function useContactReveal(endpoint: string | null, field = 'contactPhone') {
  const [value, setValue] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction(async () => {
    if (!endpoint) return;
    const res = await api.post<{ value: string | null }>(endpoint, { field, reason: reason.trim() });
    setValue(res.value);
    setOpen(false);
    setReason('');
  });
  /** Forget the clear value (e.g. after the record was edited). */
  const reset = () => setValue(null);
  return { value, open, setOpen, reason, setReason, action, reset };
}

export type ContactReveal = ReturnType<typeof useContactReveal>;

/** The phone (masked or revealed), the reveal button for those who may, and WhatsApp once revealed. */
export function RevealedPhone({ masked, reveal, mayReveal, labels }: { masked: string | null; reveal: ContactReveal; mayReveal: boolean; labels: RevealLabels }) {
  const { t } = useTranslation();
  const phone = reveal.value;
  return (
    <>
      {phone ?? masked ?? t('common.none')}
      {masked && phone === null && mayReveal && !reveal.open && (
        <>
          {' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => reveal.setOpen(true)}>
            {labels.button}
          </button>
        </>
      )}
      {phone && (
        <>
          {' '}
          <a className="btn btn-small" href={`https://wa.me/${phone.replace(/\D/g, '')}`} rel="noopener noreferrer" target="_blank">
            WhatsApp
          </a>
        </>
      )}
    </>
  );
}

/** The reason form, shown once the reveal button was pressed. */
export function RevealForm({ reveal, labels }: { reveal: ContactReveal; labels: RevealLabels }) {
  const { t } = useTranslation();
  if (!reveal.open) return null;
  return (
    <form
      className="reveal-form"
      onSubmit={(e) => {
        e.preventDefault();
        void reveal.action.run();
      }}
    >
      <Field
        label={labels.reason}
        hint={labels.hint}
        value={reveal.reason}
        minLength={5}
        maxLength={500}
        required
        autoFocus
        onChange={(e) => reveal.setReason(e.target.value)}
      />
      <ProblemAlert error={reveal.action.error} />
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={reveal.action.busy || reveal.reason.trim().length < 5}>
          {labels.submit}
        </button>
        <button type="button" className="btn" onClick={() => reveal.setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
