import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { RegistryStatus } from './MembersPage.tsx';

interface Member {
  id: number;
  fullName: string;
  nik: string | null;
  phone: string | null;
  email: string | null;
  gender: 'L' | 'P' | null;
  birthDate: string | null;
  regency: { code: string; name: string | null };
  district: { code: string; name: string | null } | null;
  subsectors: string[];
  skills: string[];
  portfolioLinks: string[];
  status: 'pending' | 'active' | 'rejected';
  source: string;
  createdAt: string;
}

/** One member (NIK and phone masked as the server gives them), with approve/reject while pending. */
export default function MemberDetailPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const member = useApi<Member>(`/api/members/${encodeURIComponent(id ?? '')}`);
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const subsectors = useApi<{ items: { code: string; nameId: string; nameEn: string }[] }>('/api/subsectors', { cacheable: true });
  const subsectorName = (code: string) => {
    const s = subsectors.data?.items.find((x) => x.code === code);
    return s ? (i18n.language === 'en' ? s.nameEn : s.nameId) : code;
  };
  const m = member.data;
  useDocumentTitle(m?.fullName ?? t('registry.members'));

  const decide = useAction(async (decision: 'approve' | 'reject') => {
    if (!m) return;
    if (decision === 'reject' && !window.confirm(t('registry.rejectConfirm', { name: m.fullName }))) return;
    const updated = await api.post<Member>(`/api/members/${m.id}/decision`, { decision, ...(note.trim() ? { note: note.trim() } : {}) });
    member.setData(updated);
    setNotice(t(decision === 'approve' ? 'registry.approved' : 'registry.rejected'));
  });

  const none = t('common.none');
  return (
    <div className="stack">
      <p>
        <Link to="/anggota">← {t('registry.backToMembers')}</Link>
      </p>
      <ProblemAlert error={member.error} onRetry={member.reload} />
      {member.loading && !m && <Loading />}
      {m && (
        <>
          <div className="page-head">
            <h1>{m.fullName}</h1>
            <RegistryStatus status={m.status} />
          </div>
          <Notice>{notice}</Notice>
          {m.status === 'pending' && (
            <section className="panel" aria-labelledby="decision-title">
              <h2 id="decision-title">{t('registry.decisionTitle')}</h2>
              <p>{t('registry.decisionHint')}</p>
              <div className="field">
                <label htmlFor="decision-note">{t('registry.note')}</label>
                <textarea id="decision-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
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
          <section className="panel">
            <dl className="facts">
              <dt>{t('registry.email')}</dt>
              <dd className="break">{m.email ?? none}</dd>
              <dt>{t('registry.phone')}</dt>
              <dd>{m.phone ?? none}</dd>
              <dt>{t('registry.nik')}</dt>
              <dd>{m.nik ?? none}</dd>
              <dt>{t('registry.gender')}</dt>
              <dd>{m.gender ? t(`register.gender${m.gender}`) : none}</dd>
              <dt>{t('registry.birthDate')}</dt>
              <dd>{m.birthDate ? formatDate(m.birthDate, i18n.language) : none}</dd>
              <dt>{t('registry.regency')}</dt>
              <dd>{m.regency.name ?? m.regency.code}</dd>
              <dt>{t('registry.district')}</dt>
              <dd>{m.district ? (m.district.name ?? m.district.code) : none}</dd>
              <dt>{t('registry.subsectors')}</dt>
              <dd>{m.subsectors.length ? m.subsectors.map(subsectorName).join(', ') : none}</dd>
              <dt>{t('registry.skills')}</dt>
              <dd>{m.skills.length ? m.skills.join(', ') : none}</dd>
              <dt>{t('registry.links')}</dt>
              <dd className="break">
                {m.portfolioLinks.length
                  ? m.portfolioLinks.map((l) => (
                      <div key={l}>
                        <a href={l} rel="noopener noreferrer nofollow" target="_blank">
                          {l}
                        </a>
                      </div>
                    ))
                  : none}
              </dd>
              <dt>{t('registry.source')}</dt>
              <dd>{m.source}</dd>
              <dt>{t('registry.createdAt')}</dt>
              <dd>{formatDate(m.createdAt, i18n.language)}</dd>
            </dl>
          </section>
        </>
      )}
    </div>
  );
}
