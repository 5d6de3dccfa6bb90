import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api/client.ts';
import { coordinatorScopes, hasRole, useSession } from '../../app/session.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatDate, formatNumber, scopeLabel } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { copyText, downloadText } from '../../files.ts';
import { linksCsv, type IssuedLink } from './linksCsv.ts';

const PAGE_SIZE = 20;
const SHOWN_LINKS = 20;
const MAX_DAYS = 180;

interface Campaign {
  id: number;
  scopeType: 'national' | 'province' | 'regency';
  scopeCode: string;
  scopeName: string | null;
  message: string | null;
  startsAt: string;
  endsAt: string;
  active: boolean;
  members: number;
  linksIssued: number;
  linksUsed: number;
  verified: number;
  lastIssuedAt: string | null;
}

interface Issued {
  campaignId: number;
  expiresAt: string;
  skipped: number;
  items: IssuedLink[];
}

interface ScopeChoice {
  key: string;
  scopeType: 'national' | 'province' | 'regency';
  scopeCode: string;
  label: string;
}


function Progress({ label, value, total }: { label: string; value: number; total: number }) {
  const { t } = useTranslation();
  const pct = total > 0 ? Math.min(100, Math.round((value / total) * 100)) : 0;
  return (
    <div className="campaign-progress">
      <div className="progress-head">
        <span>{label}</span>
        <span className="progress-count">{t('campaigns.ofTotal', { value: formatNumber(value), total: formatNumber(total), pct })}</span>
      </div>
      <div className="meter" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={value} aria-valuetext={`${pct}%`}>
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/**
 * Update campaigns: a coordinator starts one for their region, issues each active member a
 * personal link (shown once: only hashes are kept), shares them by WhatsApp or as a spreadsheet,
 * and follows how many members have checked their data.
 */
export default function CampaignsPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('campaigns.title'));
  const session = useSession();
  const isNational = hasRole(session, 'national_admin');
  const [offset, setOffset] = useState(0);
  const list = useApi<{ items: Campaign[]; total: number }>(withQuery('/api/registry/update-campaigns', { limit: PAGE_SIZE, offset: offset || undefined }));

  const scopes: ScopeChoice[] = isNational
    ? [{ key: 'national', scopeType: 'national', scopeCode: '', label: t('scopes.allIndonesia') }]
    : coordinatorScopes(session).map((g) => ({ key: g.scopeCode, scopeType: g.scopeType as 'province' | 'regency', scopeCode: g.scopeCode, label: scopeLabel(t, g) }));
  const [scopeKey, setScopeKey] = useState(scopes[0]?.key ?? '');
  const [picked, setPicked] = useState<PickedRegion | null>(null);
  const [days, setDays] = useState('14');
  const [message, setMessage] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [shown, setShown] = useState(SHOWN_LINKS);
  const [copied, setCopied] = useState<number | 'all' | null>(null);

  const daysNumber = Number(days);
  const daysValid = Number.isInteger(daysNumber) && daysNumber >= 1 && daysNumber <= MAX_DAYS;

  const create = useAction(async () => {
    let scope = scopes.find((s) => s.key === scopeKey) ?? scopes[0];
    if (isNational && picked) scope = { key: picked.code, scopeType: picked.code.length === 2 ? 'province' : 'regency', scopeCode: picked.code, label: picked.name };
    if (!scope) return;
    const endsAt = new Date(Date.now() + daysNumber * 86_400_000).toISOString();
    const created = await api.post<Campaign>('/api/registry/update-campaigns', {
      scopeType: scope.scopeType,
      scopeCode: scope.scopeCode,
      endsAt,
      ...(message.trim() && { message: message.trim() }),
    });
    setMessage('');
    setNotice(t('campaigns.started', { region: created.scopeName ?? t('scopes.allIndonesia'), count: created.members, formatted: formatNumber(created.members) }));
    setOffset(0);
    list.reload();
  });

  const issue = useAction(async (c: Campaign) => {
    if (c.linksIssued > 0 && !window.confirm(t('campaigns.reissueConfirm'))) return;
    const res = await api.post<Issued>(`/api/registry/update-campaigns/${c.id}/links`);
    setIssued(res);
    setShown(SHOWN_LINKS);
    setCopied(null);
    list.reload();
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!daysValid) return;
    void create.run();
  }

  const csvHeader = [t('campaigns.csv.memberId'), t('campaigns.csv.name'), t('campaigns.csv.phone'), t('campaigns.csv.link'), t('campaigns.csv.whatsapp'), t('campaigns.csv.expires')];
  const campaignName = (c: Campaign) => c.scopeName ?? (c.scopeType === 'national' ? t('scopes.allIndonesia') : c.scopeCode);
  const canShare = typeof navigator !== 'undefined' && typeof navigator.share === 'function';

  function issuedPanel(c: Campaign, links: Issued) {
    return (
      <div className="issued" aria-labelledby={`issued-${c.id}`}>
        <h3 id={`issued-${c.id}`}>{t('campaigns.issuedTitle', { count: links.items.length, formatted: formatNumber(links.items.length) })}</h3>
        <p className="alert alert-info">{t('campaigns.onceWarning')}</p>
        {links.skipped > 0 && <p className="muted">{t('campaigns.skipped', { count: links.skipped, formatted: formatNumber(links.skipped) })}</p>}
        {links.items.some((i) => i.phoneMasked && i.phone) && <p className="muted">{t('campaigns.maskedNote')}</p>}
        <div className="button-row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => downloadText(linksCsv(csvHeader, links.items), `${t('campaigns.csv.filename')}-${c.id}-${new Date().toISOString().slice(0, 10)}.csv`)}
          >
            {t('campaigns.downloadCsv')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={async () => {
              if (await copyText(links.items.map((i) => `${i.fullName}\t${i.url}`).join('\n'))) setCopied('all');
            }}
          >
            {copied === 'all' ? t('campaigns.copied') : t('campaigns.copyAll')}
          </button>
        </div>
        <ul className="link-rows">
          {links.items.slice(0, shown).map((i) => (
            <li key={i.memberId}>
              <div className="link-who">
                <span className="link-name">{i.fullName}</span>
                {i.phone && <span className="muted">{i.phone}</span>}
              </div>
              <div className="link-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={t('campaigns.copyFor', { name: i.fullName })}
                  onClick={async () => {
                    if (await copyText(i.url)) setCopied(i.memberId);
                  }}
                >
                  {copied === i.memberId ? t('campaigns.copied') : t('campaigns.copy')}
                </button>
                <a className="btn btn-small" href={i.whatsappUrl} target="_blank" rel="noopener noreferrer" aria-label={t('campaigns.whatsappFor', { name: i.fullName })}>
                  WhatsApp
                </a>
                {canShare && (
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('campaigns.shareFor', { name: i.fullName })}
                    onClick={() => void navigator.share({ text: `${c.message ?? t('campaigns.defaultMessage')} ${i.url}` }).catch(() => undefined)}
                  >
                    {t('campaigns.share')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
        {links.items.length > shown && (
          <button type="button" className="btn btn-block" onClick={() => setShown((n) => n + 50)}>
            {t('campaigns.showMore', { count: links.items.length - shown })}
          </button>
        )}
      </div>
    );
  }

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('campaigns.title')}</h1>
      </div>
      <p className="lead">{t('campaigns.intro')}</p>
      <Notice>{notice}</Notice>

      <form className="panel stack campaign-start" onSubmit={submit} aria-labelledby="start-title" noValidate>
        <h2 id="start-title">{t('campaigns.startTitle')}</h2>
        {scopes.length > 1 ? (
          <div className="field">
            <label htmlFor="c-scope">{t('campaigns.region')}</label>
            <select id="c-scope" value={scopeKey} onChange={(e) => setScopeKey(e.target.value)}>
              {scopes.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        ) : (
          scopes[0] &&
          !isNational && (
            <p>
              <span className="muted">{t('campaigns.region')}:</span> <strong>{scopes[0].label}</strong>
            </p>
          )
        )}
        {isNational && (
          <>
            <RegionPicker label={t('campaigns.regionOptional')} levels={[1, 2]} value={picked} onChange={setPicked} />
            <p className="hint">{t('campaigns.regionNationalHint')}</p>
          </>
        )}
        <div className={`field${!daysValid ? ' field-invalid' : ''}`}>
          <label htmlFor="c-days">{t('campaigns.days')}</label>
          <input
            id="c-days"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_DAYS}
            value={days}
            aria-describedby="c-days-hint"
            aria-invalid={!daysValid || undefined}
            onChange={(e) => setDays(e.target.value)}
          />
          <p className="hint" id="c-days-hint">
            {daysValid ? t('campaigns.daysHint', { date: formatDate(new Date(Date.now() + daysNumber * 86_400_000).toISOString(), i18n.language) }) : t('campaigns.daysInvalid', { max: MAX_DAYS })}
          </p>
        </div>
        <div className="field">
          <label htmlFor="c-message">{t('campaigns.message')}</label>
          <textarea id="c-message" rows={2} maxLength={500} placeholder={t('campaigns.defaultMessage')} value={message} onChange={(e) => setMessage(e.target.value)} aria-describedby="c-message-hint" />
          <p className="hint" id="c-message-hint">
            {t('campaigns.messageHint')}
          </p>
        </div>
        <ProblemAlert error={create.error} />
        <div>
          <button type="submit" className="btn btn-primary" disabled={create.busy || !daysValid || scopes.length === 0}>
            {t('campaigns.start')}
          </button>
        </div>
      </form>

      <section aria-labelledby="list-title" className="stack">
        <h2 id="list-title" className="section-title">
          {t('campaigns.listTitle')}
        </h2>
        <ProblemAlert error={list.error} onRetry={list.reload} />
        <ProblemAlert error={issue.error} />
        {list.loading && !list.data && <Loading />}
        {list.data && list.data.items.length === 0 && <p className="panel">{t('campaigns.empty')}</p>}
        {list.data && list.data.items.length > 0 && (
          <ul className="campaign-list">
            {list.data.items.map((c) => (
              <li key={c.id} className="panel campaign">
                <div className="campaign-head">
                  <h3>{campaignName(c)}</h3>
                  <span className={`badge ${c.active ? 'badge-active' : 'badge-disabled'}`}>{t(c.active ? 'campaigns.active' : 'campaigns.ended')}</span>
                </div>
                <p className="muted">
                  {t('campaigns.period', { from: formatDate(c.startsAt, i18n.language), to: formatDate(c.endsAt, i18n.language) })}
                </p>
                {c.message && <p className="campaign-message">“{c.message}”</p>}
                <Progress label={t('campaigns.linksIssued')} value={c.linksIssued} total={c.members} />
                <Progress label={t('campaigns.linksUsed')} value={c.linksUsed} total={c.linksIssued} />
                <Progress label={t('campaigns.verified')} value={c.verified} total={c.members} />
                {c.active && (
                  <div className="button-row">
                    <button type="button" className="btn btn-primary" disabled={issue.busy || c.members === 0} onClick={() => void issue.run(c)}>
                      {c.linksIssued > 0 ? t('campaigns.reissue') : t('campaigns.issue')}
                    </button>
                  </div>
                )}
                {c.active && c.linksIssued > 0 && issued?.campaignId !== c.id && <p className="hint">{t('campaigns.reissueHint')}</p>}
                {issued?.campaignId === c.id && issuedPanel(c, issued)}
              </li>
            ))}
          </ul>
        )}
        {list.data && <Pager offset={offset} limit={PAGE_SIZE} total={list.data.total} onChange={setOffset} />}
      </section>
    </div>
  );
}
