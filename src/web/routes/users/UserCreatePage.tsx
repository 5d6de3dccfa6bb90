import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { RoleInfo, User } from '../../api/types.ts';
import { coordinatorScopes, hasRole, useSession } from '../../app/session.tsx';
import { Field } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { normalizePhone } from '../../format.ts';
import { useAction, useApi, useDocumentTitle } from '../../hooks.ts';
import { MIN_PASSWORD } from '../auth/SetupPage.tsx';
import { emptyGrant, GrantFields, grantPayload, type GrantDraft } from './GrantFields.tsx';

export default function UserCreatePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  useDocumentTitle(t('users.createTitle'));
  const roles = useApi<{ items: RoleInfo[] }>('/api/roles');

  // A coordinator of one region most often adds people of that region: start there.
  const scopes = hasRole(session, 'national_admin') ? [] : coordinatorScopes(session);
  const initialRegion: PickedRegion | null =
    scopes.length === 1 && scopes[0].scopeCode
      ? { code: scopes[0].scopeCode, name: scopes[0].scopeName ?? scopes[0].scopeCode, level: scopes[0].scopeType === 'province' ? 1 : 2 }
      : null;

  const [form, setForm] = useState({ name: '', email: '', password: '', phone: '' });
  const [region, setRegion] = useState<PickedRegion | null>(initialRegion);
  const [grant, setGrant] = useState<GrantDraft>(emptyGrant);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const create = useAction(async (body: unknown) => {
    const user = await api.post<User>('/api/users', body);
    navigate(`/pengguna/${user.id}`, { state: { created: user.name } });
  });

  const serverErrors = create.error?.fieldErrors() ?? {};
  const errors: Record<string, string> = { ...serverErrors, ...localErrors };
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (form.password.length < MIN_PASSWORD) errs.password = t('auth.passwordTooShort');
    if (!region) errs.regionCode = t('users.pickHomeRegion');
    const g = grantPayload(grant);
    if (!g.ok) errs.grant = t(g.errorKey);
    setLocalErrors(errs);
    if (Object.keys(errs).length || !g.ok || !region) return;
    void create.run({
      name: form.name.trim(),
      email: form.email.trim(),
      password: form.password,
      ...(form.phone.trim() ? { phone: normalizePhone(form.phone) } : {}),
      regionCode: region.code,
      ...(g.grant ? { grants: [g.grant] } : {}),
    });
  };

  return (
    <div className="stack">
      <p>
        <Link to="/pengguna" className="back-link">
          ← {t('users.backToList')}
        </Link>
      </p>
      <section className="panel" aria-labelledby="create-title">
        <h1 id="create-title">{t('users.createTitle')}</h1>
        <ProblemAlert error={create.error} inlineFields={['name', 'email', 'password', 'phone', 'regionCode']} />
        <form onSubmit={onSubmit}>
          <Field label={t('users.name')} name="name" autoComplete="off" required value={form.name} onChange={update('name')} error={errors.name} />
          <Field
            label={t('users.email')}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="off"
            required
            value={form.email}
            onChange={update('email')}
            error={errors.email}
          />
          <Field
            label={t('users.initialPassword')}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            hint={t('users.initialPasswordHint')}
            value={form.password}
            onChange={update('password')}
            error={errors.password}
          />
          <Field
            label={`${t('users.phone')} (${t('common.optional')})`}
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            hint={t('users.phoneHint')}
            value={form.phone}
            onChange={update('phone')}
            error={errors.phone}
          />
          <RegionPicker
            label={t('users.homeRegion')}
            name="regionCode"
            levels={[1, 2]}
            value={region}
            onChange={setRegion}
            error={errors.regionCode}
            required
          />
          <fieldset className="fieldset">
            <legend>{t('users.roleSection')}</legend>
            <p className="hint">{t('users.roleSectionHint')}</p>
            <ProblemAlert error={roles.error} onRetry={roles.reload} />
            {roles.data && (
              <GrantFields
                roles={roles.data.items}
                value={grant}
                onChange={setGrant}
                optional
                suggestedRegion={region}
                scopeError={errors.grant ?? errors['grants.0.scopeCode'] ?? errors['grants.0']}
              />
            )}
          </fieldset>
          <button type="submit" className="btn btn-primary btn-block" disabled={create.busy}>
            {create.busy ? t('common.saving') : t('users.submitCreate')}
          </button>
        </form>
      </section>
    </div>
  );
}
