import { z } from 'zod';
import { ROLES, SCOPE_TYPES } from '../../platform/access.ts';
import { RegionCode } from '../regions/schemas.ts';

const email = z.string().trim().toLowerCase().email().max(254);
export const MIN_PASSWORD_LENGTH = 10;
const password = z.string().min(MIN_PASSWORD_LENGTH, 'password_too_short').max(200);
const name = z.string().trim().min(2).max(120);
/** E.164 Indonesian mobile or any E.164 number: '+628…'. Normalisation from local forms comes with the registry. */
const phone = z.string().regex(/^\+[1-9]\d{7,14}$/, 'phone_format');

export const GrantInput = z
  .object({
    role: z.enum(ROLES),
    scopeType: z.enum(SCOPE_TYPES),
    scopeCode: z.string().max(40).default(''),
  })
  .meta({ id: 'GrantInput' });

export const Grant = z.object({
  id: z.number(),
  role: z.string(),
  scopeType: z.enum(SCOPE_TYPES),
  scopeCode: z.string(),
  scopeName: z.string().nullable(),
});

export const User = z
  .object({
    id: z.number(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
    locale: z.enum(['id', 'en']),
    status: z.enum(['active', 'disabled']),
    grants: z.array(Grant),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export const SessionPayload = z
  .object({
    user: z.object({
      id: z.number(),
      name: z.string(),
      email: z.string(),
      locale: z.enum(['id', 'en']),
      regionCode: z.string().nullable(),
      regionName: z.string().nullable(),
    }),
    grants: z.array(Grant),
    permissions: z.array(z.string()),
    csrfToken: z.string(),
  })
  .meta({ id: 'SessionPayload' });

export const SetupInput = z.object({
  name,
  email,
  password,
  setupToken: z.string().max(40).optional().describe('The code printed in the server console; needed unless the browser runs on the server itself'),
});
export const LoginInput = z.object({ email: z.string().trim().max(254), password: z.string().max(200) });

export const UserListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  regionCode: RegionCode.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const NewUserInput = z.object({
  name,
  email,
  password,
  phone: phone.nullish(),
  regionCode: RegionCode,
  grants: z.array(GrantInput).max(10).optional(),
});

export const UserPatchInput = z
  .object({
    name: name.optional(),
    phone: phone.nullable().optional(),
    regionCode: RegionCode.optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'nothing_to_change');

export const IdParams = z.object({ id: z.coerce.number().int().positive() });
export const GrantParams = z.object({ id: z.coerce.number().int().positive(), grantId: z.coerce.number().int().positive() });

export const RoleList = z.object({
  items: z.array(z.object({ role: z.string(), scopeTypes: z.array(z.string()), grantable: z.boolean() })),
});

export const MePatchInput = z
  .object({
    name: name.optional(),
    phone: phone.nullable().optional(),
    locale: z.enum(['id', 'en']).optional(),
    currentPassword: z.string().max(200).optional(),
    newPassword: password.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'nothing_to_change')
  .refine((p) => !p.newPassword || p.currentPassword, { message: 'current_password_required', path: ['currentPassword'] });
