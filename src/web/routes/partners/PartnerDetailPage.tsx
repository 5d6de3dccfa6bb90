import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { formatDate } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { AgreementFields } from './AgreementFields.tsx';
import { agreementBody, emptyAgreement, type Agreement, type AgreementDraft, type Partner } from './partner.ts';
import { PartnerKeysSection } from './PartnerKeysSection.tsx';
import { PartnerType } from './PartnersPage.tsx';
import { RevealForm, RevealedPhone, useContactReveal } from '../../components/ContactReveal.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/registryLists.ts';

addStrings(strings);

/** A scope code as its region's name (reference data, fetched once per visit). */
function ScopeName({ code }: { code: string }) {
  const region = useApi<{ name: string }>(`/api/regions/${encodeURIComponent(code)}`, { cacheable: true });
  return <>{region.data ? `${region.data.name} (${code})` : code}</>;
}

function AgreementItem({ a }: { a: Agreement }) {
  const { t, i18n } = useTranslation();
  const date = (d: string) => formatDate(d, i18n.language);
  return (
    <li className="panel">
      <p className="card-title">
        {a.title}{' '}
        <span className={`badge badge-${a.active ? 'active' : 'disabled'}`}>{t(a.active ? 'partnerPages.active' : 'partnerPages.notActive')}</span>{' '}
        {a.allowsPersonalData && <span className="badge badge-pending">{t('partnerPages.personalData')}</span>}
      </p>
      <dl className="facts facts-stack">
        <dt>{t('partnerPages.scope')}</dt>
        <dd>{a.scopeCode ? <ScopeName code={a.scopeCode} /> : t('partnerPages.scopeNational')}</dd>
        <dt>{t('partnerPages.validity')}</dt>
        <dd>
          {date(a.validFrom)} – {a.validUntil ? date(a.validUntil) : t('partnerPages.openEnded')}
        </dd>
      </dl>
    </li>
  );
}

/** One partner: its profile, the masked contact phone with an audited reveal, its agreements and its API keys. */
export default function PartnerDetailPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const { id } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const partner = useApi<Partner>(`/api/partners/${encodeURIComponent(id ?? '')}`);
  const p = partner.data;
  useDocumentTitle(p?.name ?? t('partnerPages.title'));

  const [notice, setNotice] = useState<string | null>(created ? t('partnerPages.created', { name: created }) : null);
  const reveal = useContactReveal(p ? `/api/partners/${p.id}/reveal` : null);
  const [draft, setDraft] = useState<AgreementDraft | null>(null);
  const [draftErrors, setDraftErrors] = useState<Record<string, string>>({});

  // The server decides by region; these only keep buttons away from people who can never use them.
  const mayManage = hasPermission(session, 'partners.manage');
  const mayReveal = hasPermission(session, 'personal_data.reveal');
  const revealLabels = {
    button: t('partnerPages.reveal'),
    reason: t('partnerPages.revealReason'),
    hint: t('partnerPages.revealHint'),
    submit: t('partnerPages.revealSubmit'),
  };

  const addAgreement = useAction(async (a: AgreementDraft) => {
    if (!p) return;
    const updated = await api.post<Partner>(`/api/partners/${p.id}/agreements`, agreementBody(a));
    partner.setData(updated);
    setDraft(null);
    setNotice(t('partnerPages.agreementAdded'));
  });

  function submitAgreement(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const missing: Record<string, string> = {};
    if (draft.title.trim().length < 2) missing.title = t('partnerPages.required');
    if (!draft.validFrom) missing.validFrom = t('partnerPages.required');
    setDraftErrors(missing);
    if (Object.keys(missing).length) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('#agreement-form [aria-invalid="true"]')?.focus());
      return;
    }
    void addAgreement.run(draft);
  }

  const none = t('common.none');
  const serverErrors = addAgreement.error instanceof ApiError ? addAgreement.error.fieldErrors() : {};
  return (
    <div className="stack">
      <p>
        <Link to="/mitra">← {t('partnerPages.back')}</Link>
      </p>
      <ProblemAlert error={partner.error} onRetry={partner.reload} />
      {partner.loading && !p && <Loading />}
      {p && (
        <>
          <div className="page-head">
            <h1>{p.name}</h1>
            <PartnerType type={p.type} />
          </div>
          <Notice>{notice}</Notice>
          <section className="panel" aria-labelledby="partner-profile">
            <h2 id="partner-profile">{t('partnerPages.profile')}</h2>
            <dl className="facts facts-stack">
              <dt>{t('partnerPages.type')}</dt>
              <dd>{t(`partnerPages.types.${p.type}`)}</dd>
              <dt>{t('partnerPages.region')}</dt>
              <dd>{p.region ? (p.region.name ?? p.region.code) : t('partnerPages.national')}</dd>
              <dt>{t('partnerPages.website')}</dt>
              <dd className="break">
                {p.website ? (
                  <a href={p.website} rel="noopener noreferrer nofollow" target="_blank">
                    {p.website.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '')}
                  </a>
                ) : (
                  none
                )}
              </dd>
              <dt>{t('partnerPages.contactName')}</dt>
              <dd>{p.contactName ?? none}</dd>
              <dt>{t('partnerPages.contactPhone')}</dt>
              <dd>
                <RevealedPhone masked={p.contactPhone} reveal={reveal} mayReveal={mayReveal} labels={revealLabels} />
              </dd>
              <dt>{t('partnerPages.contactEmail')}</dt>
              <dd className="break">{p.contactEmail ? <a href={`mailto:${p.contactEmail}`}>{p.contactEmail}</a> : none}</dd>
              <dt>{t('partnerPages.createdAt')}</dt>
              <dd>{formatDate(p.createdAt, i18n.language)}</dd>
            </dl>
            <RevealForm reveal={reveal} labels={revealLabels} />
          </section>

          <section className="stack" aria-labelledby="partner-agreements">
            <div className="page-head">
              <h2 id="partner-agreements">{t('partnerPages.agreements')}</h2>
              {mayManage && !draft && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    setDraft(emptyAgreement());
                    setDraftErrors({});
                    addAgreement.setError(null);
                  }}
                >
                  + {t('partnerPages.addAgreement')}
                </button>
              )}
            </div>
            {draft && (
              <form id="agreement-form" className="panel stack" onSubmit={submitAgreement} noValidate aria-labelledby="agreement-form-title">
                <h3 id="agreement-form-title">{t('partnerPages.addAgreement')}</h3>
                <AgreementFields value={draft} onChange={setDraft} errors={{ ...serverErrors, ...draftErrors }} mayOpenPersonalData={mayReveal} />
                <ProblemAlert error={addAgreement.error} inlineFields={['title', 'scopeCode', 'validFrom', 'validUntil']} />
                <div className="button-row">
                  <button type="submit" className="btn btn-primary" disabled={addAgreement.busy}>
                    {addAgreement.busy ? t('common.saving') : t('partnerPages.saveAgreement')}
                  </button>
                  <button type="button" className="btn" onClick={() => setDraft(null)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </form>
            )}
            {p.agreements.length === 0 ? (
              <p className="panel">{t('partnerPages.noAgreements')}</p>
            ) : (
              <ul className="user-cards">
                {p.agreements.map((a) => (
                  <AgreementItem key={a.id} a={a} />
                ))}
              </ul>
            )}
          </section>

          {mayManage && <PartnerKeysSection partnerId={p.id} />}
        </>
      )}
    </div>
  );
}
