import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, type ApiError } from '../../api/client.ts';
import { Loading, ProblemAlert } from '../../components/Problem.tsx';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { MemberFacts } from './MemberFacts.tsx';
import { MemberForm } from './MemberForm.tsx';
import { useSubsectors, type OwnMember, type OwnMemberPatch, type SavedMember } from './member.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/selfService.ts';

addStrings(strings);

type Dead = 'expired' | 'unknown';

/** 410: used or past its deadline; 404 (or, when reading, a malformed token: 400): never existed. */
function deadLink(error: ApiError | null, reading: boolean): Dead | null {
  if (!error) return null;
  if (error.status === 410) return 'expired';
  if (error.status === 404 || (reading && error.status === 400)) return 'unknown';
  return null;
}

/**
 * The personal update link a member gets by WhatsApp (/perbarui/:token): no login; shows the one
 * member record the link opens, and either confirms it ("still right") or saves corrections. The
 * link works once. Kept small: it is opened on cheap phones over slow connections.
 */
export default function UpdateLinkPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('updateLink.title'));
  const { token = '' } = useParams();
  const path = `/api/public/update/${encodeURIComponent(token)}`;
  const record = useApi<OwnMember>(path);
  const subsectors = useSubsectors(i18n.language);
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<{ kind: 'confirmed' | 'saved'; saved: SavedMember } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const formTitle = useRef<HTMLHeadingElement>(null);

  const send = useAction(async (patch: OwnMemberPatch) => {
    const saved = await api.patch<SavedMember>(path, patch);
    setDone({ kind: Object.keys(patch).length ? 'saved' : 'confirmed', saved });
  });

  useEffect(() => {
    if (editing) formTitle.current?.focus();
  }, [editing]);

  useEffect(() => {
    if (done) {
      window.scrollTo(0, 0);
      heading.current?.focus();
    }
  }, [done]);

  const dead = deadLink(record.error, true) ?? deadLink(send.error, false);
  if (dead) {
    return (
      <section className="panel auth-panel" aria-labelledby="link-title">
        <h1 id="link-title">{t(dead === 'expired' ? 'updateLink.expiredTitle' : 'updateLink.unknownTitle')}</h1>
        <div className="alert alert-info" role="status">
          <p>{t(dead === 'expired' ? 'updateLink.expiredBody' : 'updateLink.unknownBody')}</p>
        </div>
        <p className="hint">{t('updateLink.loginHint')}</p>
      </section>
    );
  }

  if (done) {
    const { member, warnings } = done.saved;
    return (
      <section className="panel register-panel self-panel" aria-labelledby="link-title">
        <h1 id="link-title" tabIndex={-1} ref={heading}>
          {t(done.kind === 'saved' ? 'updateLink.doneSavedTitle' : 'updateLink.doneConfirmedTitle')}
        </h1>
        <div className="alert alert-ok" role="status">
          <p>{t(done.kind === 'saved' ? 'updateLink.doneSavedBody' : 'updateLink.doneConfirmedBody')}</p>
        </div>
        {warnings.length > 0 && (
          <div className="alert alert-info">
            <p>{t('selfForm.warningsTitle')}</p>
            <ul>
              {warnings.map((w) => (
                <li key={`${w.path}:${w.code}`}>{w.message}</li>
              ))}
            </ul>
          </div>
        )}
        <MemberFacts member={member} nameOf={subsectors.nameOf} />
      </section>
    );
  }

  const m = record.data;
  return (
    <section className="panel register-panel self-panel" aria-labelledby="link-title">
      <h1 id="link-title">{t('updateLink.title')}</h1>
      <ProblemAlert error={record.error} onRetry={record.reload} />
      {record.loading && <Loading />}
      {m && (
        <>
          <p className="lead">{t('updateLink.intro')}</p>
          <p className="hint">{t('updateLink.privacyNote')}</p>
          <h2>{t('updateLink.currentTitle')}</h2>
          <MemberFacts member={m} nameOf={subsectors.nameOf} />
          {!editing && (
            <>
              {send.error && <ProblemAlert error={send.error} />}
              <div className="stack self-actions">
                <button type="button" className="btn btn-primary btn-block" disabled={send.busy} onClick={() => void send.run({})}>
                  {send.busy ? t('updateLink.confirming') : t('updateLink.confirm')}
                </button>
                <button type="button" className="btn btn-block" disabled={send.busy} onClick={() => setEditing(true)}>
                  {t('updateLink.edit')}
                </button>
              </div>
            </>
          )}
          {editing && (
            <>
              <h2 tabIndex={-1} ref={formTitle}>
                {t('updateLink.editTitle')}
              </h2>
              <MemberForm
                member={m}
                subsectors={subsectors.items}
                submitLabel={t('updateLink.save')}
                busyLabel={t('updateLink.saving')}
                busy={send.busy}
                error={send.error}
                onSubmit={(patch) => void send.run(patch)}
                onCancel={() => {
                  setEditing(false);
                  send.setError(null);
                }}
                cancelLabel={t('updateLink.cancel')}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
