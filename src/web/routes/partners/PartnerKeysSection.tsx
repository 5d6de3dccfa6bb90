import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { IssuedPartnerKey, PartnerApiKey, PartnerKeyScope } from '../../api/types.ts';
import { Field } from '../../components/Field.tsx';
import { Notice, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate } from '../../format.ts';
import { useAction, useApi } from '../../hooks.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/partnerKeys.ts';
import { copyText } from '../../files.ts';

addStrings(strings);

const SCOPES: PartnerKeyScope[] = ['overlap.check', 'pprl.exchange'];

/** Date and time as the network reads them (WIB), for "last used". */
function formatDateTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso));
}


interface Draft {
  label: string;
  scopes: PartnerKeyScope[];
  expiresOn: string;
}

const emptyDraft = (): Draft => ({ label: '', scopes: ['overlap.check'], expiresOn: '' });

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** The token of a key just issued: shown once, with a copy button, until the person says it is saved. */
function IssuedToken({ issued, onDone }: { issued: IssuedPartnerKey; onDone: () => void }) {
  const { t } = useTranslation();
  const fieldId = useId();
  const title = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => title.current?.focus(), []);
  return (
    <div className="alert alert-info stack" role="region" aria-labelledby={`${fieldId}-title`}>
      <h3 id={`${fieldId}-title`} tabIndex={-1} ref={title}>
        {t('partnerKeys.tokenTitle')}
      </h3>
      <p>
        <strong>{t('partnerKeys.tokenWarning')}</strong>
      </p>
      <div className="field">
        <label htmlFor={fieldId}>{t('partnerKeys.tokenField', { label: issued.key.label })}</label>
        <input
          id={fieldId}
          readOnly
          value={issued.token}
          spellCheck={false}
          autoComplete="off"
          data-testid="partner-key-token"
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={`${fieldId}-usage`}
          style={{ fontFamily: 'ui-monospace, monospace' }}
        />
        <p className="hint" id={`${fieldId}-usage`}>
          {t('partnerKeys.tokenUsage')}
        </p>
      </div>
      {copied === false && <p className="field-error">{t('partnerKeys.copyFailed')}</p>}
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={async () => setCopied(await copyText(issued.token))}>
          {copied ? t('partnerKeys.copied') : t('partnerKeys.copy')}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t('partnerKeys.saved')}
        </button>
      </div>
    </div>
  );
}

function KeyItem({ k, onRevoked }: { k: PartnerApiKey; onRevoked: (k: PartnerApiKey) => void }) {
  const { t, i18n } = useTranslation();
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const revoke = useAction(async () => {
    onRevoked(await api.post<PartnerApiKey>(`/api/partners/${k.partnerId}/keys/${k.id}/revoke`));
    setAsking(false);
  });
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  const date = (d: string) => formatDate(d, i18n.language);
  const badge = k.status === 'active' ? 'badge-active' : 'badge-disabled';
  return (
    <li className="panel" data-testid="partner-key">
      <p className="card-title">
        {k.label} <span className={`badge ${badge}`}>{t(`partnerKeys.status.${k.status}`)}</span>
      </p>
      <dl className="facts facts-stack">
        <dt>{t('partnerKeys.prefix')}</dt>
        <dd>
          <code>{k.prefix}…</code>
        </dd>
        <dt>{t('partnerKeys.scopesList')}</dt>
        <dd>{k.scopes.map((s) => t(`partnerKeys.scopeNames.${s}`)).join(', ')}</dd>
        <dt>{t('partnerKeys.created')}</dt>
        <dd>{k.createdBy ? t('partnerKeys.createdBy', { date: date(k.createdAt), name: k.createdBy.name }) : date(k.createdAt)}</dd>
        <dt>{t('partnerKeys.expires')}</dt>
        <dd>{k.expiresAt ? date(k.expiresAt) : t('partnerKeys.noExpiry')}</dd>
        <dt>{t('partnerKeys.lastUsed')}</dt>
        <dd>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, i18n.language) : t('partnerKeys.neverUsed')}</dd>
        {k.revokedAt && (
          <>
            <dt>{t('partnerKeys.revokedAt')}</dt>
            <dd>{date(k.revokedAt)}</dd>
          </>
        )}
      </dl>
      {k.status === 'active' && !asking && (
        <div className="button-row">
          <button type="button" className="btn btn-small" onClick={() => setAsking(true)}>
            {t('partnerKeys.revoke')}
          </button>
        </div>
      )}
      {asking && (
        <div className="stack">
          <p tabIndex={-1} ref={confirmRef}>
            {t('partnerKeys.revokeConfirm', { label: k.label, prefix: k.prefix })}
          </p>
          <ProblemAlert error={revoke.error} />
          <div className="button-row">
            <button type="button" className="btn btn-danger" disabled={revoke.busy} onClick={() => void revoke.run()}>
              {revoke.busy ? t('partnerKeys.revoking') : t('partnerKeys.revokeYes')}
            </button>
            <button type="button" className="btn" onClick={() => setAsking(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

/**
 * A partner's API keys, for those who may edit the partner: list, issue (the token shown once),
 * revoke. The server decides by region; a coordinator of another region sees no section at all.
 */
export function PartnerKeysSection({ partnerId }: { partnerId: number }) {
  const { t } = useTranslation();
  const keys = useApi<{ items: PartnerApiKey[] }>(`/api/partners/${partnerId}/keys`);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [draftErrors, setDraftErrors] = useState<Record<string, string>>({});
  const [issued, setIssued] = useState<IssuedPartnerKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const scopesId = useId();

  const issue = useAction(async (d: Draft) => {
    // The chosen day is valid to its end, in the browser's time zone.
    const expiresAt = d.expiresOn ? new Date(`${d.expiresOn}T23:59:59`).toISOString() : null;
    const result = await api.post<IssuedPartnerKey>(`/api/partners/${partnerId}/keys`, { label: d.label.trim(), scopes: d.scopes, expiresAt });
    setIssued(result);
    setDraft(null);
    setNotice(null);
    keys.setData({ items: [result.key, ...(keys.data?.items ?? [])] });
  });

  if (keys.error?.status === 403) return null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const missing: Record<string, string> = {};
    if (!draft.label.trim()) missing.label = t('partnerKeys.required');
    if (draft.scopes.length === 0) missing.scopes = t('partnerKeys.scopesRequired');
    setDraftErrors(missing);
    if (Object.keys(missing).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('#partner-key-form [aria-invalid="true"]')?.focus());
      return;
    }
    void issue.run(draft);
  }

  /** A changed field's old complaint goes away as soon as it is corrected. */
  function change(field: keyof Draft | 'expiresAt', next: Draft) {
    setDraft(next);
    setDraftErrors(({ [field]: _, ...rest }) => rest);
    if (issue.error) issue.setError(null);
  }

  function toggleScope(scope: PartnerKeyScope, on: boolean) {
    if (!draft) return;
    const scopes = on ? [...draft.scopes, scope] : draft.scopes.filter((s) => s !== scope);
    change('scopes', { ...draft, scopes: SCOPES.filter((s) => scopes.includes(s)) });
  }

  const serverErrors = issue.error instanceof ApiError ? issue.error.fieldErrors() : {};
  const errors: Record<string, string | undefined> = { ...serverErrors, ...draftErrors };
  const items = keys.data?.items ?? [];
  return (
    <section className="stack" aria-labelledby="partner-keys">
      <div className="page-head">
        <h2 id="partner-keys">{t('partnerKeys.title')}</h2>
        {!draft && !issued && keys.data && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setDraft(emptyDraft());
              setDraftErrors({});
              setNotice(null);
              issue.setError(null);
            }}
          >
            + {t('partnerKeys.issue')}
          </button>
        )}
      </div>
      <p className="hint">{t('partnerKeys.lead')}</p>
      <ProblemAlert error={keys.error} onRetry={keys.reload} />
      <Notice>{notice}</Notice>
      {issued && <IssuedToken issued={issued} onDone={() => setIssued(null)} />}
      {draft && (
        <form id="partner-key-form" className="panel stack" onSubmit={submit} noValidate aria-labelledby="partner-key-form-title">
          <h3 id="partner-key-form-title">{t('partnerKeys.formTitle')}</h3>
          <Field
            label={t('partnerKeys.label')}
            value={draft.label}
            required
            maxLength={100}
            hint={t('partnerKeys.labelHint')}
            error={errors.label}
            onChange={(e) => change('label', { ...draft, label: e.target.value })}
          />
          <fieldset className="fieldset" aria-describedby={`${scopesId}-hint${errors.scopes ? ` ${scopesId}-error` : ''}`}>
            <legend>{t('partnerKeys.scopes')}</legend>
            <p className="hint" id={`${scopesId}-hint`}>
              {t('partnerKeys.scopesHint')}
            </p>
            {SCOPES.map((s, i) => (
              <label key={s} className="check">
                <input
                  type="checkbox"
                  checked={draft.scopes.includes(s)}
                  aria-invalid={errors.scopes && i === 0 ? true : undefined}
                  onChange={(e) => toggleScope(s, e.target.checked)}
                />
                <span>
                  <strong>{t(`partnerKeys.scopeNames.${s}`)}</strong>
                  <br />
                  <span className="hint">{t(`partnerKeys.scopeHints.${s}`)}</span>
                </span>
              </label>
            ))}
            {errors.scopes && (
              <p className="field-error" id={`${scopesId}-error`}>
                {errors.scopes}
              </p>
            )}
          </fieldset>
          <Field
            label={`${t('partnerKeys.expiresAt')} (${t('common.optional')})`}
            type="date"
            value={draft.expiresOn}
            min={tomorrow()}
            hint={t('partnerKeys.expiresHint')}
            error={errors.expiresAt}
            onChange={(e) => change('expiresAt', { ...draft, expiresOn: e.target.value })}
          />
          <ProblemAlert error={issue.error} inlineFields={['label', 'scopes', 'expiresAt']} />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={issue.busy}>
              {issue.busy ? t('partnerKeys.submitting') : t('partnerKeys.submit')}
            </button>
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {keys.data &&
        (items.length === 0 ? (
          <p className="panel">{t('partnerKeys.empty')}</p>
        ) : (
          <ul className="user-cards">
            {items.map((k) => (
              <KeyItem
                key={k.id}
                k={k}
                onRevoked={(revoked) => {
                  keys.setData({ items: items.map((x) => (x.id === revoked.id ? revoked : x)) });
                  setNotice(t('partnerKeys.revokedNotice', { label: revoked.label }));
                }}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}
