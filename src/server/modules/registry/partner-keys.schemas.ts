/** Contracts of partner API keys: issue (the token answered once), list, revoke. */
import { z } from 'zod';
import { PARTNER_KEY_SCOPES } from '../../platform/access.ts';

const id = z.coerce.number().int().positive();

export const PartnerKeyParams = z.object({ id, keyId: id });

export const PartnerKeyScope = z
  .enum(PARTNER_KEY_SCOPES)
  .describe('overlap.check: POST /api/beneficiaries/partner-overlap; pprl.exchange: POST /api/beneficiaries/pprl/exchange')
  .meta({ id: 'PartnerKeyScope' });

export const NewPartnerKeyInput = z
  .object({
    label: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "Server SIKS-NG Dinsos"'),
    scopes: z.array(PartnerKeyScope).min(1, 'partner_key_scopes_required').max(10),
    expiresAt: z.iso.datetime({ offset: true }).nullish().describe('When the key stops working; none: until revoked'),
  })
  .meta({ id: 'NewPartnerKeyRequest' });

export const PartnerKey = z
  .object({
    id: z.number(),
    partnerId: z.number(),
    label: z.string(),
    prefix: z.string().describe('The first characters of the token, to recognise the key; the token itself is never shown again'),
    scopes: z.array(PartnerKeyScope),
    status: z.enum(['active', 'expired', 'revoked']),
    createdBy: z.object({ id: z.number(), name: z.string() }).nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
  })
  .meta({ id: 'PartnerKey' });

export const IssuedPartnerKey = z
  .object({
    key: PartnerKey,
    token: z.string().describe('Send as `Authorization: Bearer <token>`. Shown in this answer only: keep it now.'),
  })
  .meta({ id: 'IssuedPartnerKey' });

export const PartnerKeyList = z.object({ items: z.array(PartnerKey) }).meta({ id: 'PartnerKeyList' });
