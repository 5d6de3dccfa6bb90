/** Contracts of member self-service (a member's own record) and of deletion requests. */
import { z } from 'zod';
import { RegionCode } from '../regions/schemas.ts';

/**
 * What a member may correct themselves. Moving to another regency, NIK, status and community links
 * stay with coordinators: a key outside this list is refused (400), not silently dropped.
 */
const ownFields = {
    fullName: z.string().trim().min(2).max(160).optional(),
    phone: z.string().trim().min(6).max(30).nullish(),
    email: z.string().trim().toLowerCase().email().max(254).nullish(),
    gender: z.enum(['L', 'P']).nullish(),
    birthDate: z.iso.date().nullish(),
    districtCode: RegionCode.nullish().describe('A district (kecamatan) inside the member’s regency'),
    subsectors: z.array(z.string().trim().min(1).max(60)).max(17).optional(),
    skills: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
    portfolioLinks: z.array(z.string().trim().max(500).refine(isWebLink, 'url_format')).max(10).optional(),
};

export const OwnMemberPatchInput = z
  .strictObject(ownFields)
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change')
  .meta({ id: 'OwnMemberPatchInput' });

function isWebLink(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

export const ExportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

export const DeletionInput = z.object({
  confirm: z.literal(true, 'confirm_required'),
  reason: z.string().trim().max(500).nullish(),
});

export const DeletionResult = z.object({ id: z.number(), status: z.literal('deleted'), anonymisedAt: z.string() });

// ---------------------------------------------------------------- update campaigns and links

export const NewUpdateCampaignInput = z
  .object({
    scopeType: z.enum(['national', 'province', 'regency']),
    scopeCode: z.union([RegionCode, z.literal('')]).default(''),
    endsAt: z.iso.datetime({ offset: true }).describe('When the links stop working (ISO 8601, at most 180 days ahead)'),
    message: z.string().trim().max(500).nullish(),
  })
  .meta({ id: 'NewUpdateCampaignInput' });

export const UpdateCampaign = z
  .object({
    id: z.number(),
    scopeType: z.enum(['national', 'province', 'regency']),
    scopeCode: z.string(),
    scopeName: z.string().nullable().describe('Name of the province or regency; null for a national campaign'),
    message: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string().describe('When the links stop working'),
    active: z.boolean().describe('The links still work (endsAt is in the future)'),
    members: z.number().describe('Active members in scope now, each of whom gets a link'),
    linksIssued: z.number().describe('Links issued and not replaced (the current ones plus those used)'),
    linksUsed: z.number().describe('Links a member opened and submitted (a correction or a confirmation)'),
    verified: z.number().describe('Active members in scope whose data was verified since the campaign started, by any means'),
    lastIssuedAt: z.string().nullable(),
  })
  .meta({ id: 'UpdateCampaign' });

export const UpdateCampaignList = z.object({ items: z.array(UpdateCampaign), total: z.number() });

export const CampaignListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const UpdateCampaignLinks = z.object({
  campaignId: z.number(),
  expiresAt: z.string(),
  skipped: z.number().describe('Members in scope who already answered through this campaign: no new link'),
  items: z.array(
    z.object({
      memberId: z.number(),
      fullName: z.string(),
      phone: z.string().nullable().describe('In clear where the caller may reveal phone numbers in the member’s region (counted in the audit log), masked elsewhere'),
      phoneMasked: z.boolean(),
      url: z.string().describe('Absolute address of the personal update page; shown once, only its hash is stored'),
      whatsappUrl: z.string().describe('wa.me link with the message and the personal link (the number only when in clear)'),
      expiresAt: z.string(),
    }),
  ),
});

const PendingQueue = z.object({
  pending: z.number(),
  overdue: z.number().describe('Waiting longer than the deadline'),
  oldest: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      regency: z.object({ code: z.string(), name: z.string().nullable() }),
      createdAt: z.string(),
      dueAt: z.string(),
      overdue: z.boolean(),
    }),
  ),
});

export const PendingApprovals = z
  .object({
    deadlineHours: z.number().describe('3×24 hours'),
    members: PendingQueue,
    communities: PendingQueue,
  })
  .meta({ id: 'PendingApprovals' });

export const TokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/** What a member may change through a link; an empty body confirms the data is still right. */
export const LinkUpdateInput = z.strictObject(ownFields).meta({ id: 'LinkUpdateInput' });
