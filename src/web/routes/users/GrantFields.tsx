import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, RoleInfo, ScopeType } from '../../api/types.ts';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';

export interface GrantDraft {
  role: Role | '';
  scopeType: ScopeType | '';
  region: PickedRegion | null;
  communityCode: string;
}

export const emptyGrant: GrantDraft = { role: '', scopeType: '', region: null, communityCode: '' };

/** The grant to send, or an i18n key explaining what is missing. */
export function grantPayload(
  d: GrantDraft,
): { ok: true; grant: { role: Role; scopeType: ScopeType; scopeCode?: string } | null } | { ok: false; errorKey: string } {
  if (!d.role) return { ok: true, grant: null };
  const scopeType = d.scopeType || 'national';
  if (scopeType === 'national') return { ok: true, grant: { role: d.role, scopeType } };
  if (scopeType === 'community') {
    const code = d.communityCode.trim();
    return code ? { ok: true, grant: { role: d.role, scopeType, scopeCode: code } } : { ok: false, errorKey: 'users.pickRegionFirst' };
  }
  return d.region
    ? { ok: true, grant: { role: d.role, scopeType, scopeCode: d.region.code } }
    : { ok: false, errorKey: 'users.pickRegionFirst' };
}

interface Props {
  roles: RoleInfo[];
  value: GrantDraft;
  onChange: (next: GrantDraft) => void;
  /** Whether "no role" is a choice (create form) or a role must be picked (add-grant form). */
  optional: boolean;
  scopeError?: string;
  /** Offered as the scope when its level fits (e.g. the new user's home regency). */
  suggestedRegion?: PickedRegion | null;
}

function levelOf(r: PickedRegion): number {
  return r.level ?? r.code.split('.').length;
}

/** Role select, scope-type select and scope picker (province or regency search). */
export function GrantFields({ roles, value, onChange, optional, scopeError, suggestedRegion }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const grantable = roles.filter((r) => r.grantable);
  const info = grantable.find((r) => r.role === value.role);
  const scopeTypes = info?.scopeTypes ?? [];

  const suggestionFor = (scopeType: ScopeType | ''): PickedRegion | null => {
    const level = scopeType === 'province' ? 1 : scopeType === 'regency' ? 2 : 0;
    return suggestedRegion && levelOf(suggestedRegion) === level ? suggestedRegion : null;
  };

  // Keep the scope type valid for the chosen role.
  useEffect(() => {
    if (!info) return;
    if (!value.scopeType || !info.scopeTypes.includes(value.scopeType)) {
      const preferred = info.scopeTypes.find((s) => s === 'regency') ?? info.scopeTypes[0] ?? '';
      onChange({ ...value, scopeType: preferred, region: suggestionFor(preferred) });
    }
  });

  if (grantable.length === 0) return <p className="muted">{t('users.noGrantableRoles')}</p>;

  const level = value.scopeType === 'province' ? 1 : 2;

  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('users.role')}</label>
        <select
          id={`${id}-role`}
          name="role"
          value={value.role}
          required={!optional}
          onChange={(e) => onChange({ ...value, role: e.target.value as Role | '', scopeType: '', region: null })}
        >
          <option value="">{optional ? t('users.chooseRole') : '—'}</option>
          {grantable.map((r) => (
            <option key={r.role} value={r.role}>
              {t(`roles.${r.role}`)}
            </option>
          ))}
        </select>
      </div>
      {info && scopeTypes.length > 1 && (
        <div className="field">
          <label htmlFor={`${id}-scope-type`}>{t('users.scopeType')}</label>
          <select
            id={`${id}-scope-type`}
            name="scopeType"
            value={value.scopeType}
            onChange={(e) => {
              const scopeType = e.target.value as ScopeType;
              onChange({ ...value, scopeType, region: suggestionFor(scopeType) });
            }}
          >
            {scopeTypes.map((s) => (
              <option key={s} value={s}>
                {t(`scopes.${s}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {info && (value.scopeType === 'province' || value.scopeType === 'regency') && (
        <RegionPicker
          key={value.scopeType}
          label={`${t('users.scope')} (${t(`scopes.${value.scopeType}`)})`}
          levels={[level]}
          value={value.region}
          onChange={(region) => onChange({ ...value, region })}
          error={scopeError}
          required
        />
      )}
      {info && value.scopeType === 'community' && (
        <div className={`field${scopeError ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-community`}>{t('users.scopeCommunity')}</label>
          <input
            id={`${id}-community`}
            value={value.communityCode}
            onChange={(e) => onChange({ ...value, communityCode: e.target.value })}
            aria-invalid={scopeError ? true : undefined}
          />
          {scopeError && <p className="field-error">{scopeError}</p>}
        </div>
      )}
    </>
  );
}
