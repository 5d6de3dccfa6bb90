import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate, formatNumber, normalizePhone } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { RegistryStatus } from './MembersPage.tsx';
import { RevealForm, RevealedPhone, useContactReveal } from '../../components/ContactReveal.tsx';

const LEGAL_STATUSES = ['none', 'perkumpulan', 'yayasan', 'koperasi', 'cv', 'pt', 'other'] as const;
type LegalStatus = (typeof LEGAL_STATUSES)[number];

interface Community {
  id: number;
  name: string;
  regency: { code: string; name: string | null };
  district: { code: string; name: string | null } | null;
  description: string | null;
  contactName: string | null;
  /** Masked by the server; POST …/reveal shows it (logged). */
  contactPhone: string | null;
  contactEmail: string | null;
  socialLinks: { kind: string; url: string }[];
  legalStatus: LegalStatus;
  foundingYear: number | null;
  subsectors: string[];
  status: 'pending' | 'active' | 'rejected' | 'inactive';
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

/** What the edit form holds; only fields that changed are sent (the phone arrives masked). */
interface Draft {
  name: string;
  description: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  legalStatus: LegalStatus;
  foundingYear: string;
  subsectors: string[];
}

const draftOf = (c: Community): Draft => ({
  name: c.name,
  description: c.description ?? '',
  contactName: c.contactName ?? '',
  contactPhone: '',
  contactEmail: c.contactEmail ?? '',
  legalStatus: c.legalStatus,
  foundingYear: c.foundingYear ? String(c.foundingYear) : '',
  subsectors: c.subsectors,
});

/** One community: every field, the coordinator's decision while pending, and editing for those who manage it. */
export default function CommunityDetailPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { id } = useParams();
  const community = useApi<Community>(`/api/communities/${encodeURIComponent(id ?? '')}`);
  const subsectors = useApi<{ items: { code: string; nameId: string; nameEn: string }[] }>('/api/subsectors', { cacheable: true });
  const subsectorName = (code: string) => {
    const s = subsectors.data?.items.find((x) => x.code === code);
    return s ? (i18n.language === 'en' ? s.nameEn : s.nameId) : code;
  };
  const c = community.data;
  useDocumentTitle(c?.name ?? t('registry.communities'));

  const [notice, setNotice] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | undefined>();
  const [draft, setDraft] = useState<Draft | null>(null);
  const reveal = useContactReveal(c ? `/api/communities/${c.id}/reveal` : null);

  // The server decides by region; these only keep buttons away from people who can never use them.
  const mayApprove = hasPermission(session, 'registry.approve');
  const mayManage = hasPermission(session, 'registry.manage');
  const mayReveal = hasPermission(session, 'personal_data.reveal');
  const revealLabels = {
    button: t('communityDetail.reveal'),
    reason: t('communityDetail.revealReason'),
    hint: t('communityDetail.revealHint'),
    submit: t('communityDetail.revealSubmit'),
  };

  const decide = useAction(async (decision: 'approve' | 'reject') => {
    if (!c) return;
    if (decision === 'reject') {
      if (note.trim().length < 5) {
        setNoteError(t('communityDetail.rejectReasonRequired'));
        return;
      }
      if (!window.confirm(t('communityDetail.rejectConfirm', { name: c.name }))) return;
    }
    setNoteError(undefined);
    const updated = await api.post<Community>(`/api/communities/${c.id}/decision`, { decision, ...(note.trim() ? { note: note.trim() } : {}) });
    community.setData(updated);
    setNote('');
    setNotice(t(decision === 'approve' ? 'communityDetail.approved' : 'communityDetail.rejected'));
  });

  const save = useAction(async (patch: Record<string, unknown>) => {
    if (!c) return;
    const updated = await api.patch<Community>(`/api/communities/${c.id}`, patch);
    community.setData(updated);
    setDraft(null);
    reveal.reset();
    setNotice(t('communityDetail.saved'));
  });

  const setStatus = useAction(async (status: 'active' | 'inactive') => {
    if (!c) return;
    if (status === 'inactive' && !window.confirm(t('communityDetail.deactivateConfirm', { name: c.name }))) return;
    const updated = await api.patch<Community>(`/api/communities/${c.id}`, { status });
    community.setData(updated);
    setNotice(t(status === 'inactive' ? 'communityDetail.deactivated' : 'communityDetail.reactivated'));
  });

  function submitEdit(e: FormEvent) {
    e.preventDefault();
    if (!c || !draft) return;
    const before = draftOf(c);
    const patch: Record<string, unknown> = {};
    const text = (v: string) => (v.trim() === '' ? null : v.trim());
    if (draft.name.trim() !== before.name) patch.name = draft.name.trim();
    if (draft.description.trim() !== before.description) patch.description = text(draft.description);
    if (draft.contactName.trim() !== before.contactName) patch.contactName = text(draft.contactName);
    if (draft.contactPhone.trim()) patch.contactPhone = normalizePhone(draft.contactPhone);
    if (draft.contactEmail.trim() !== before.contactEmail) patch.contactEmail = text(draft.contactEmail);
    if (draft.legalStatus !== before.legalStatus) patch.legalStatus = draft.legalStatus;
    if (draft.foundingYear.trim() !== before.foundingYear) patch.foundingYear = draft.foundingYear.trim() ? Number(draft.foundingYear) : null;
    if ([...draft.subsectors].sort().join() !== [...before.subsectors].sort().join()) patch.subsectors = draft.subsectors;
    if (Object.keys(patch).length === 0) {
      setDraft(null);
      return;
    }
    void save.run(patch);
  }

  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const none = t('common.none');
  return (
    <div className="stack">
      <p>
        <Link to="/komunitas">← {t('communityDetail.back')}</Link>
      </p>
      <ProblemAlert error={community.error} onRetry={community.reload} />
      {community.loading && !c && <Loading />}
      {c && (
        <>
          <div className="page-head">
            <h1>{c.name}</h1>
            <RegistryStatus status={c.status} />
          </div>
          <Notice>{notice}</Notice>

          {c.status === 'pending' && mayApprove && (
            <section className="panel" aria-labelledby="decision-title">
              <h2 id="decision-title">{t('registry.decisionTitle')}</h2>
              <p>{t('communityDetail.decisionHint', { date: formatDate(c.createdAt, i18n.language) })}</p>
              <div className={`field${noteError ? ' field-invalid' : ''}`}>
                <label htmlFor="decision-note">{t('communityDetail.reason')}</label>
                <textarea
                  id="decision-note"
                  rows={2}
                  maxLength={500}
                  value={note}
                  aria-describedby="decision-note-hint"
                  aria-invalid={noteError ? true : undefined}
                  onChange={(e) => setNote(e.target.value)}
                />
                <p className="hint" id="decision-note-hint">
                  {t('communityDetail.reasonHint')}
                </p>
                {noteError && <p className="field-error">{noteError}</p>}
              </div>
              <ProblemAlert error={decide.error} />
              <div className="button-row">
                <button type="button" className="btn btn-primary" disabled={decide.busy} onClick={() => void decide.run('approve')}>
                  {t('registry.approve')}
                </button>
                <button type="button" className="btn btn-danger" disabled={decide.busy} onClick={() => void decide.run('reject')}>
                  {t('registry.reject')}
                </button>
              </div>
            </section>
          )}

          {draft ? (
            <form className="panel stack" onSubmit={submitEdit} aria-labelledby="edit-title" noValidate>
              <h2 id="edit-title">{t('communityDetail.editTitle')}</h2>
              <Field label={t('communityDetail.name')} value={draft.name} required minLength={2} maxLength={160} error={fieldErrors.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              <div className={`field${fieldErrors.description ? ' field-invalid' : ''}`}>
                <label htmlFor="c-description">{t('communityDetail.description')}</label>
                <textarea id="c-description" rows={4} maxLength={2000} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
                {fieldErrors.description && <p className="field-error">{fieldErrors.description}</p>}
              </div>
              <div className="field">
                <label htmlFor="c-legal">{t('communityDetail.legalStatus')}</label>
                <select id="c-legal" value={draft.legalStatus} onChange={(e) => setDraft({ ...draft, legalStatus: e.target.value as LegalStatus })}>
                  {LEGAL_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`communityDetail.legal.${s}`)}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                label={t('communityDetail.foundingYear')}
                inputMode="numeric"
                maxLength={4}
                value={draft.foundingYear}
                error={fieldErrors.foundingYear}
                onChange={(e) => setDraft({ ...draft, foundingYear: e.target.value.replace(/\D/g, '') })}
              />
              <Field label={t('communityDetail.contactName')} value={draft.contactName} maxLength={120} error={fieldErrors.contactName} onChange={(e) => setDraft({ ...draft, contactName: e.target.value })} />
              <Field
                label={t('communityDetail.contactPhone')}
                type="tel"
                inputMode="tel"
                autoComplete="off"
                value={draft.contactPhone}
                placeholder={c.contactPhone ?? ''}
                hint={c.contactPhone ? t('communityDetail.contactPhoneKeep') : undefined}
                error={fieldErrors.contactPhone}
                onChange={(e) => setDraft({ ...draft, contactPhone: e.target.value })}
              />
              <Field label={t('communityDetail.contactEmail')} type="email" value={draft.contactEmail} error={fieldErrors.contactEmail} onChange={(e) => setDraft({ ...draft, contactEmail: e.target.value })} />
              <fieldset className="fieldset">
                <legend>{t('registry.subsectors')}</legend>
                <div className="check-grid">
                  {subsectors.data?.items.map((s) => (
                    <label key={s.code} className="check">
                      <input
                        type="checkbox"
                        checked={draft.subsectors.includes(s.code)}
                        onChange={(e) =>
                          setDraft({ ...draft, subsectors: e.target.checked ? [...draft.subsectors, s.code] : draft.subsectors.filter((x) => x !== s.code) })
                        }
                      />
                      {i18n.language === 'en' ? s.nameEn : s.nameId}
                    </label>
                  ))}
                </div>
              </fieldset>
              <ProblemAlert error={save.error} inlineFields={['name', 'description', 'foundingYear', 'contactName', 'contactPhone', 'contactEmail']} />
              <div className="button-row">
                <button type="submit" className="btn btn-primary" disabled={save.busy}>
                  {save.busy ? t('common.saving') : t('common.save')}
                </button>
                <button type="button" className="btn" onClick={() => { setDraft(null); save.setError(null); }}>
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <section className="panel" aria-labelledby="facts-title">
              <div className="page-head">
                <h2 id="facts-title">{t('communityDetail.profile')}</h2>
                {mayManage && c.status !== 'rejected' && (
                  <button type="button" className="btn btn-small" onClick={() => setDraft(draftOf(c))}>
                    {t('communityDetail.edit')}
                  </button>
                )}
              </div>
              <dl className="facts facts-stack">
                <dt>{t('registry.regency')}</dt>
                <dd>{c.regency.name ?? c.regency.code}</dd>
                <dt>{t('registry.district')}</dt>
                <dd>{c.district ? (c.district.name ?? c.district.code) : none}</dd>
                <dt>{t('communityDetail.members')}</dt>
                <dd>{t('communityDetail.memberCount', { count: c.memberCount, formatted: formatNumber(c.memberCount) })}</dd>
                <dt>{t('registry.subsectors')}</dt>
                <dd>{c.subsectors.length ? c.subsectors.map(subsectorName).join(', ') : none}</dd>
                <dt>{t('communityDetail.description')}</dt>
                <dd className="pre-line">{c.description ?? none}</dd>
                <dt>{t('communityDetail.legalStatus')}</dt>
                <dd>{t(`communityDetail.legal.${c.legalStatus}`)}</dd>
                <dt>{t('communityDetail.foundingYear')}</dt>
                <dd>{c.foundingYear ?? none}</dd>
                <dt>{t('communityDetail.contactName')}</dt>
                <dd>{c.contactName ?? none}</dd>
                <dt>{t('communityDetail.contactPhone')}</dt>
                <dd>
                  <RevealedPhone masked={c.contactPhone} reveal={reveal} mayReveal={mayReveal} labels={revealLabels} />
                </dd>
                <dt>{t('registry.email')}</dt>
                <dd className="break">{c.contactEmail ? <a href={`mailto:${c.contactEmail}`}>{c.contactEmail}</a> : none}</dd>
                <dt>{t('communityDetail.social')}</dt>
                <dd className="break">
                  {c.socialLinks.length
                    ? c.socialLinks.map((l) => (
                        <div key={l.url} className="social-link">
                          <span className="muted">{l.kind}</span>{' '}
                          <a href={l.url} rel="noopener noreferrer nofollow" target="_blank">
                            {l.url.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '')}
                          </a>
                        </div>
                      ))
                    : none}
                </dd>
                <dt>{t('registry.createdAt')}</dt>
                <dd>{formatDate(c.createdAt, i18n.language)}</dd>
                <dt>{t('communityDetail.updatedAt')}</dt>
                <dd>{formatDate(c.updatedAt, i18n.language)}</dd>
              </dl>
              <RevealForm reveal={reveal} labels={revealLabels} />
            </section>
          )}

          {mayApprove && (c.status === 'active' || c.status === 'inactive') && !draft && (
            <section className="panel" aria-labelledby="status-title">
              <h2 id="status-title">{t('communityDetail.statusTitle')}</h2>
              <p className="muted">{t(c.status === 'active' ? 'communityDetail.deactivateHint' : 'communityDetail.reactivateHint')}</p>
              <ProblemAlert error={setStatus.error} />
              <button
                type="button"
                className={`btn ${c.status === 'active' ? 'btn-danger' : 'btn-primary'}`}
                disabled={setStatus.busy}
                onClick={() => void setStatus.run(c.status === 'active' ? 'inactive' : 'active')}
              >
                {t(c.status === 'active' ? 'communityDetail.deactivate' : 'communityDetail.reactivate')}
              </button>
            </section>
          )}
        </>
      )}
    </div>
  );
}
