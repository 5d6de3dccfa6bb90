import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { RoleInfo, User } from '../../api/types.ts';
import { hasPermission, useSession } from '../../app/session.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading, Notice, ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { formatDate, grantLabel, normalizePhone } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { emptyGrant, GrantFields, grantPayload, type GrantDraft } from './GrantFields.tsx';
import { StatusBadge } from './UsersPage.tsx';

export default function UserDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const session = useSession();
  const canManage = hasPermission(session, 'users.manage');
  const canGrant = hasPermission(session, 'roles.grant') || canManage;
  const created = (location.state as { created?: string } | null)?.created;
  const user = useApi<User>(`/api/users/${encodeURIComponent(id)}`);
  const [notice, setNotice] = useState<string | null>(created ? t('users.created', { name: created }) : null);
  const [editing, setEditing] = useState(false);
  useDocumentTitle(user.data?.name ?? t('users.detailTitle'));

  const applied = (u: User, message: string) => {
    user.setData(u);
    setNotice(message);
  };

  const status = useAction(async (u: User) => {
    const next = u.status === 'active' ? 'disabled' : 'active';
    if (next === 'disabled' && !window.confirm(t('users.disableConfirm', { name: u.name }))) return;
    applied(await api.patch<User>(`/api/users/${u.id}`, { status: next }), t('users.statusChanged'));
  });

  const revoke = useAction(async (u: User, grantId: number, label: string) => {
    if (!window.confirm(t('users.revokeConfirm', { grant: label, name: u.name }))) return;
    applied(await api.del<User>(`/api/users/${u.id}/grants/${grantId}`), t('users.grantRevoked'));
  });

  return (
    <div className="stack">
      <p>
        <Link to="/pengguna" className="back-link">
          ← {t('users.backToList')}
        </Link>
      </p>
      <ProblemAlert error={user.error} onRetry={user.reload} />
      {user.loading && !user.data && <Loading />}
      {user.data && (
        <>
          <section className="panel" aria-labelledby="user-title">
            <div className="page-head">
              <h1 id="user-title">{user.data.name}</h1>
              <StatusBadge status={user.data.status} />
            </div>
            <Notice>{notice}</Notice>
            {editing ? (
              <EditProfile
                user={user.data}
                onCancel={() => setEditing(false)}
                onSaved={(u) => {
                  applied(u, t('users.saved'));
                  setEditing(false);
                }}
              />
            ) : (
              <>
                <dl className="facts">
                  <dt>{t('users.email')}</dt>
                  <dd className="break">{user.data.email}</dd>
                  <dt>{t('users.phone')}</dt>
                  <dd>{user.data.phone ?? t('common.none')}</dd>
                  <dt>{t('users.region')}</dt>
                  <dd>
                    {user.data.regionCode ? (
                      <Link to={`/wilayah/${user.data.regionCode}`}>{user.data.regionName ?? user.data.regionCode}</Link>
                    ) : (
                      t('common.none')
                    )}
                  </dd>
                  <dt>{t('users.createdAt')}</dt>
                  <dd>{formatDate(user.data.createdAt, i18n.language)}</dd>
                </dl>
                {canManage && (
                  <div className="actions">
                    <button type="button" className="btn" onClick={() => (setNotice(null), setEditing(true))}>
                      {t('users.edit')}
                    </button>
                    <button
                      type="button"
                      className={user.data.status === 'active' ? 'btn btn-danger' : 'btn'}
                      disabled={status.busy}
                      onClick={() => user.data && void status.run(user.data)}
                    >
                      {user.data.status === 'active' ? t('users.disable') : t('users.enable')}
                    </button>
                  </div>
                )}
                <ProblemAlert error={status.error} />
              </>
            )}
          </section>

          <section className="panel" aria-labelledby="grants-title">
            <h2 id="grants-title">{t('users.grants')}</h2>
            <ProblemAlert error={revoke.error} />
            {user.data.grants.length === 0 ? (
              <p className="muted">{t('users.noGrants')}</p>
            ) : (
              <ul className="grant-list">
                {user.data.grants.map((g) => {
                  const label = grantLabel(t, g);
                  return (
                    <li key={g.id}>
                      <span>{label}</span>
                      {canGrant && (
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          aria-label={t('users.revokeLabel', { grant: label })}
                          disabled={revoke.busy}
                          onClick={() => user.data && void revoke.run(user.data, g.id, label)}
                        >
                          {t('users.revoke')}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            {canGrant && <AddGrant userId={user.data.id} onAdded={(u) => applied(u, t('users.grantAdded'))} />}
          </section>
        </>
      )}
    </div>
  );
}

function EditProfile({ user, onSaved, onCancel }: { user: User; onSaved: (u: User) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(user.name);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [region, setRegion] = useState<PickedRegion | null>(
    user.regionCode ? { code: user.regionCode, name: user.regionName ?? user.regionCode } : null,
  );
  const save = useAction(async () => {
    const body: Record<string, unknown> = { name: name.trim(), phone: normalizePhone(phone) || null };
    if (region) body.regionCode = region.code;
    onSaved(await api.patch<User>(`/api/users/${user.id}`, body));
  });
  const errors = save.error?.fieldErrors() ?? {};
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <form onSubmit={onSubmit}>
      <ProblemAlert error={save.error} inlineFields={['name', 'phone', 'regionCode']} />
      <Field label={t('users.name')} required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <Field
        label={`${t('users.phone')} (${t('common.optional')})`}
        type="tel"
        inputMode="tel"
        hint={t('users.phoneHint')}
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errors.phone}
      />
      <RegionPicker label={t('users.homeRegion')} levels={[1, 2]} value={region} onChange={setRegion} error={errors.regionCode} />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={save.busy}>
          {save.busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AddGrant({ userId, onAdded }: { userId: number; onAdded: (u: User) => void }) {
  const { t } = useTranslation();
  const roles = useApi<{ items: RoleInfo[] }>('/api/roles');
  const [draft, setDraft] = useState<GrantDraft>(emptyGrant);
  const [localError, setLocalError] = useState<string | undefined>();
  const add = useAction(async (grant: unknown) => {
    const u = await api.post<User>(`/api/users/${userId}/grants`, grant);
    setDraft(emptyGrant);
    onAdded(u);
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const g = grantPayload(draft);
    if (!g.ok) return setLocalError(t(g.errorKey));
    setLocalError(undefined);
    if (g.grant) void add.run(g.grant);
  };
  const errors = add.error?.fieldErrors() ?? {};
  return (
    <form className="fieldset" onSubmit={onSubmit} aria-labelledby="add-grant-title">
      <h3 id="add-grant-title">{t('users.addGrant')}</h3>
      <ProblemAlert error={roles.error} onRetry={roles.reload} />
      <ProblemAlert error={add.error} />
      {roles.data && (
        <>
          <GrantFields
            roles={roles.data.items}
            value={draft}
            onChange={setDraft}
            optional={false}
            scopeError={localError ?? errors.scopeCode}
          />
          {roles.data.items.some((r) => r.grantable) && (
            <button type="submit" className="btn btn-primary" disabled={add.busy || !draft.role}>
              {add.busy ? t('common.saving') : t('users.submitGrant')}
            </button>
          )}
        </>
      )}
    </form>
  );
}
