import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { api } from '../../api/client.ts';
import { useSessionApi } from '../../app/session.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { ErrorSummary } from './ErrorSummary.tsx';
import { MemberFacts } from './MemberFacts.tsx';
import { MemberForm } from './MemberForm.tsx';
import { problemMessage, useSubsectors, type OwnMember, type OwnMemberPatch, type SavedMember } from './member.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

/**
 * A logged-in member's own data (UU PDP rights): see it, correct it, download it (JSON, CSV) and
 * have it deleted. The member record is the one linked to the account (members.user_id); an
 * account without one gets a 404 from the API and an explanation here. Not behind RequireAuth:
 * after a deletion the session is gone, and the confirmation must still show.
 */
export default function OwnDataPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('ownData.title'));
  const { state, logout } = useSessionApi();
  const [deleted, setDeleted] = useState(false);
  const signedIn = state.status === 'authenticated' && !deleted;
  const me = useApi<OwnMember>(signedIn ? '/api/members/me' : null);
  const subsectors = useSubsectors(i18n.language);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<SavedMember['warnings'] | null>(null);
  const deletedHeading = useRef<HTMLHeadingElement>(null);
  const dataHeading = useRef<HTMLHeadingElement>(null);
  // Moving between the data and the form (or saving) keeps the focus on this section's title.
  const [moved, setMoved] = useState(0);
  useEffect(() => {
    if (moved) dataHeading.current?.focus();
  }, [moved]);

  const save = useAction(async (patch: OwnMemberPatch) => {
    const res = await api.patch<SavedMember>('/api/members/me', patch);
    me.setData(res.member);
    setSaved(res.warnings);
    setEditing(false);
    setMoved((n) => n + 1);
  });

  useEffect(() => {
    if (deleted) deletedHeading.current?.focus();
  }, [deleted]);

  if (deleted) {
    return (
      <section className="panel auth-panel" aria-labelledby="deleted-title">
        <h1 id="deleted-title" tabIndex={-1} ref={deletedHeading}>
          {t('ownData.deletedTitle')}
        </h1>
        <div className="alert alert-ok" role="status">
          <p>{t('ownData.deletedBody')}</p>
        </div>
        <p>
          <Link to="/statistik">{t('ownData.deletedHome')}</Link>
        </p>
      </section>
    );
  }
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'anonymous') return <Navigate to="/masuk" replace state={{ from: '/data-saya', expired: state.expired }} />;

  if (me.error?.status === 404) {
    return (
      <section className="panel auth-panel" aria-labelledby="own-title">
        <h1 id="own-title">{t('ownData.noMember')}</h1>
        <p>{t('ownData.noMemberBody')}</p>
        <p>{t('ownData.noMemberCoordinator')}</p>
        <p>{t('ownData.noMemberRegisterHint', { email: state.session.user.email })}</p>
        <p>
          <Link className="btn btn-primary" to="/daftar">
            {t('ownData.noMemberRegister')}
          </Link>
        </p>
      </section>
    );
  }

  const m = me.data;
  return (
    <div className="stack self-page">
      <section className="panel" aria-labelledby="own-title">
        <h1 id="own-title">{t('ownData.title')}</h1>
        <p className="lead">{t('ownData.intro')}</p>
        <ProblemAlert error={me.error} onRetry={me.reload} />
        {me.loading && <Loading />}
        {m?.status === 'pending' && (
          <div className="alert alert-info" role="status">
            <p>{t('ownData.pendingNote')}</p>
          </div>
        )}
      </section>

      {m && (
        <section className="panel" aria-labelledby="own-current">
          <h2 id="own-current" tabIndex={-1} ref={dataHeading}>{editing ? t('ownData.editTitle') : t('ownData.currentTitle')}</h2>
          {saved && !editing && (
            <>
              <Notice>{t('ownData.saved')}</Notice>
              {saved.length > 0 && (
                <div className="alert alert-info">
                  <p>{t('selfForm.warningsTitle')}</p>
                  <ul>
                    {saved.map((w) => (
                      <li key={`${w.path}:${w.code}`}>{w.message}</li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          )}
          {editing ? (
            <MemberForm
              member={m}
              subsectors={subsectors.items}
              submitLabel={t('ownData.save')}
              busyLabel={t('ownData.saving')}
              busy={save.busy}
              error={save.error}
              onSubmit={(patch) => void save.run(patch)}
              onCancel={() => {
                setEditing(false);
                save.setError(null);
                setMoved((n) => n + 1);
              }}
              cancelLabel={t('ownData.editCancel')}
            />
          ) : (
            <>
              <MemberFacts member={m} nameOf={subsectors.nameOf} />
              <p className="hint">{t('ownData.maskedNote')}</p>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => {
                  setSaved(null);
                  setEditing(true);
                  setMoved((n) => n + 1);
                }}
              >
                {t('ownData.edit')}
              </button>
            </>
          )}
        </section>
      )}

      {m && (
        <section className="panel" aria-labelledby="own-export">
          <h2 id="own-export">{t('ownData.exportTitle')}</h2>
          <p>{t('ownData.exportBody')}</p>
          <div className="button-row">
            <a className="btn" href="/api/members/me/export?format=json" download>
              {t('ownData.exportJson')}
            </a>
            <a className="btn" href="/api/members/me/export?format=csv" download>
              {t('ownData.exportCsv')}
            </a>
          </div>
        </section>
      )}

      {m && (
        <DeletionSection
          onDeleted={async () => {
            setDeleted(true);
            // The server has ended every session of this account already; forget it here too.
            await logout();
          }}
        />
      )}
    </div>
  );
}

/** Deletion behind a confirmation step that says plainly what happens and that it is final. */
function DeletionSection({ onDeleted }: { onDeleted: () => Promise<void> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [missing, setMissing] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const confirmTitle = useRef<HTMLHeadingElement>(null);

  const remove = useAction(async () => {
    await api.post('/api/members/me/deletion', { confirm: true, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    await onDeleted();
  });

  useEffect(() => {
    if (asking) confirmTitle.current?.focus();
  }, [asking]);
  useEffect(() => {
    if (remove.error) setAttempt((a) => a + 1);
  }, [remove.error]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(!sure);
    if (!sure) {
      setAttempt((a) => a + 1);
      return;
    }
    void remove.run();
  };

  const summary = [
    ...(missing ? [{ field: 'confirm', message: t('ownData.deleteConfirmMissing') }] : []),
    ...(remove.error ? [{ field: '_', message: problemMessage(t, remove.error) }] : []),
  ];

  return (
    <section className="panel" aria-labelledby="own-delete">
      <h2 id="own-delete">{t('ownData.deleteTitle')}</h2>
      {!asking ? (
        <>
          <p>{t('ownData.deleteBody')}</p>
          <button type="button" className="btn btn-danger" onClick={() => setAsking(true)}>
            {t('ownData.deleteStart')}
          </button>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="delete-confirm">
          <h3 tabIndex={-1} ref={confirmTitle}>
            {t('ownData.deleteConfirmTitle')}
          </h3>
          <ul>
            <li>{t('ownData.deleteExplain1')}</li>
            <li>{t('ownData.deleteExplain2')}</li>
            <li>{t('ownData.deleteExplain3')}</li>
            <li>
              <strong>{t('ownData.deleteExplain4')}</strong>
            </li>
          </ul>
          <ErrorSummary items={summary} attempt={attempt} />
          <div className="field">
            <label htmlFor="delete-reason">{t('ownData.deleteReason')}</label>
            <textarea
              id="delete-reason"
              name="reason"
              rows={2}
              maxLength={500}
              aria-describedby="delete-reason-hint"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <p className="hint" id="delete-reason-hint">
              {t('ownData.deleteReasonHint')}
            </p>
          </div>
          <div className={`field${missing ? ' field-invalid' : ''}`}>
            <label className="check">
              <input
                type="checkbox"
                name="confirm"
                checked={sure}
                aria-invalid={missing || undefined}
                aria-describedby={missing ? 'delete-confirm-error' : undefined}
                onChange={(e) => {
                  setSure(e.target.checked);
                  if (e.target.checked) setMissing(false);
                }}
              />
              <span>{t('ownData.deleteConfirmCheck')}</span>
            </label>
            {missing && (
              <p className="field-error" id="delete-confirm-error">
                {t('ownData.deleteConfirmMissing')}
              </p>
            )}
          </div>
          <div className="button-row">
            <button type="submit" className="btn btn-danger" disabled={remove.busy}>
              {remove.busy ? t('ownData.deleting') : t('ownData.deleteSubmit')}
            </button>
            <button
              type="button"
              className="btn"
              disabled={remove.busy}
              onClick={() => {
                setAsking(false);
                setSure(false);
                setMissing(false);
                remove.setError(null);
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
