/**
 * Request and response contracts of Jejaring (the network registry). The same schemas validate
 * requests and write the OpenAPI document. Messages that are codes (e.g. 'url_format') come from
 * the field catalogue in platform/errors.ts, in the caller's language.
 *
 * Personal data never travels in a URL or a query string: there is no NIK filter, and the reveal
 * endpoint takes the field name in its body.
 */
import { z } from 'zod';
import { RegionCode } from '../regions/schemas.ts';

// ---------------------------------------------------------------- building blocks

const name = z.string().trim().min(2).max(160);
const optionalText = (max: number) => z.string().trim().max(max).nullish();
const email = z.string().trim().toLowerCase().email().max(254);
/** Any way people write a phone number; the service turns it into E.164 (+62…). */
const phoneInput = z.string().trim().min(6).max(30).describe('Any common form (0812-3456-7890, +62 812…); stored as E.164');
const isoDate = z.iso.date().describe('YYYY-MM-DD');
/** An http or https address; other schemes (javascript:, data:) are refused. */
const webLink = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
    } catch {
      return false;
    }
  }, 'url_format');
const subsectorCodes = z.array(z.string().trim().min(1).max(60)).max(17).describe('Subsector codes from /api/subsectors');
const regencyCode = RegionCode.describe('Regency/city code, e.g. 32.73');
const districtCode = RegionCode.describe('District (kecamatan) code inside the regency, e.g. 32.73.01');
const id = z.coerce.number().int().positive();

export const IdParams = z.object({ id });
export const AgreementParams = z.object({ id, agreementId: id });

const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};
/** Query strings end up in browser histories and proxy logs: a name, never a NIK or a phone number. */
const q = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !/\d{6,}/.test(v.replace(/[\s.-]/g, '')), 'search_without_numbers')
  .optional()
  .describe('Name to look for; forgives typos and old spellings (Djoko, Soekarno, Moch.). Not a NIK or phone number.');
const regionFilter = RegionCode.optional().describe('A province, regency or district: only records inside it');

/** A problem that did not stop the save: shown to the person who entered the data. */
export const Warning = z
  .object({ path: z.string(), code: z.string(), message: z.string() })
  .meta({ id: 'RegistryWarning', description: 'Something to double-check; the record was saved anyway' });

// ---------------------------------------------------------------- members

export const MEMBER_STATUSES = ['pending', 'active', 'rejected'] as const;
export const COMMUNITY_ROLES = ['leader', 'admin', 'member'] as const;

const memberCommunityInput = z.object({ communityId: id, role: z.enum(COMMUNITY_ROLES).default('member') });

const memberFields = {
  fullName: name,
  nik: z.string().trim().max(30).nullish().describe('16-digit NIK; spaces, dots and dashes are removed'),
  phone: phoneInput.nullish(),
  email: email.nullish(),
  gender: z.enum(['L', 'P']).nullish().describe('L laki-laki, P perempuan'),
  birthDate: isoDate.nullish(),
  regencyCode,
  districtCode: districtCode.nullish(),
  subsectors: subsectorCodes.default([]),
  skills: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  portfolioLinks: z.array(webLink).max(10).default([]),
  communities: z.array(memberCommunityInput).max(20).default([]),
};

export const NewMemberInput = z.object(memberFields).meta({ id: 'NewMemberInput' });

export const MemberPatchInput = z
  .object({
    fullName: memberFields.fullName.optional(),
    nik: memberFields.nik,
    phone: memberFields.phone,
    email: memberFields.email,
    gender: memberFields.gender,
    birthDate: memberFields.birthDate,
    regencyCode: regencyCode.optional(),
    districtCode: memberFields.districtCode,
    subsectors: subsectorCodes.optional(),
    skills: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
    portfolioLinks: z.array(webLink).max(10).optional(),
    communities: z.array(memberCommunityInput).max(20).optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change')
  .meta({ id: 'MemberPatchInput' });

export const MemberListQuery = z.object({
  q,
  regionCode: regionFilter,
  subsector: z.string().trim().max(60).optional(),
  communityId: id.optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  ...paging,
});

const RegionRef = { code: z.string(), name: z.string().nullable() };

export const Member = z
  .object({
    id: z.number(),
    fullName: z.string(),
    nik: z.string().nullable().describe('Masked (3273********0001); POST …/reveal shows it, and is logged'),
    phone: z.string().nullable().describe('Masked; POST …/reveal shows it, and is logged'),
    email: z.string().nullable(),
    gender: z.enum(['L', 'P']).nullable(),
    birthDate: z.string().nullable(),
    regency: z.object(RegionRef),
    district: z.object(RegionRef).nullable(),
    subsectors: z.array(z.string()),
    skills: z.array(z.string()),
    portfolioLinks: z.array(z.string()),
    communities: z.array(z.object({ id: z.number(), name: z.string(), role: z.enum(COMMUNITY_ROLES) })),
    status: z.enum(MEMBER_STATUSES),
    source: z.string(),
    userId: z.number().nullable(),
    verifiedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Member' });

export const MemberSummary = z
  .object({
    id: z.number(),
    fullName: z.string(),
    phone: z.string().nullable().describe('Masked'),
    gender: z.enum(['L', 'P']).nullable(),
    regency: z.object(RegionRef),
    districtCode: z.string().nullable(),
    subsectors: z.array(z.string()),
    communityIds: z.array(z.number()),
    status: z.enum(MEMBER_STATUSES),
    score: z.number().nullable().describe('How well the name matches q (0–1); null without q'),
  })
  .meta({ id: 'MemberSummary' });

export const MemberList = z.object({ items: z.array(MemberSummary), total: z.number() });
export const MemberWithWarnings = z.object({ member: Member, warnings: z.array(Warning) });

export const RevealInput = z.object({
  field: z.enum(['nik', 'phone']),
  reason: z.string().trim().min(5).max(500).describe('Why the clear value is needed; written to the audit log'),
});
export const RevealResult = z.object({ field: z.enum(['nik', 'phone']), value: z.string().nullable() });

/** A community's or partner's contact person's phone, shown in clear like a member's. */
export const ContactRevealInput = z.object({ field: z.enum(['contactPhone']), reason: RevealInput.shape.reason });
export const ContactRevealResult = z.object({ field: z.enum(['contactPhone']), value: z.string().nullable() });

export const DecisionInput = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(500).nullish(),
});

// ---------------------------------------------------------------- communities

export const LEGAL_STATUSES = ['none', 'perkumpulan', 'yayasan', 'koperasi', 'cv', 'pt', 'other'] as const;
export const COMMUNITY_STATUSES = ['pending', 'active', 'rejected', 'inactive'] as const;
export const SOCIAL_KINDS = ['website', 'instagram', 'facebook', 'tiktok', 'youtube', 'x', 'linkedin', 'whatsapp', 'other'] as const;

const socialLink = z.object({ kind: z.enum(SOCIAL_KINDS), url: webLink });
const currentYear = new Date().getUTCFullYear();

const communityFields = {
  name,
  regencyCode,
  districtCode: districtCode.nullish(),
  description: optionalText(2000),
  contactName: optionalText(120),
  contactPhone: phoneInput.nullish(),
  contactEmail: email.nullish(),
  socialLinks: z.array(socialLink).max(10).default([]),
  legalStatus: z.enum(LEGAL_STATUSES).default('none'),
  foundingYear: z.number().int().min(1900).max(currentYear + 1).nullish(),
  subsectors: subsectorCodes.default([]),
};

export const NewCommunityInput = z.object(communityFields).meta({ id: 'NewCommunityInput' });

export const CommunityPatchInput = z
  .object({
    name: name.optional(),
    regencyCode: regencyCode.optional(),
    districtCode: communityFields.districtCode,
    description: communityFields.description,
    contactName: communityFields.contactName,
    contactPhone: communityFields.contactPhone,
    contactEmail: communityFields.contactEmail,
    socialLinks: z.array(socialLink).max(10).optional(),
    legalStatus: z.enum(LEGAL_STATUSES).optional(),
    foundingYear: communityFields.foundingYear,
    subsectors: subsectorCodes.optional(),
    status: z.enum(['active', 'inactive']).optional().describe('Deactivate or reactivate an approved community'),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change')
  .meta({ id: 'CommunityPatchInput' });

export const CommunityListQuery = z.object({
  q,
  regionCode: regionFilter,
  subsector: z.string().trim().max(60).optional(),
  status: z.enum(COMMUNITY_STATUSES).optional(),
  ...paging,
});

export const Community = z
  .object({
    id: z.number(),
    name: z.string(),
    regency: z.object(RegionRef),
    district: z.object(RegionRef).nullable(),
    description: z.string().nullable(),
    contactName: z.string().nullable(),
    contactPhone: z.string().nullable().describe('Masked; POST …/reveal shows it, and is logged'),
    contactEmail: z.string().nullable(),
    socialLinks: z.array(z.object({ kind: z.string(), url: z.string() })),
    legalStatus: z.enum(LEGAL_STATUSES),
    foundingYear: z.number().nullable(),
    subsectors: z.array(z.string()),
    status: z.enum(COMMUNITY_STATUSES),
    memberCount: z.number().describe('Active members'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Community' });

export const CommunitySummary = z
  .object({
    id: z.number(),
    name: z.string(),
    regency: z.object(RegionRef),
    subsectors: z.array(z.string()),
    legalStatus: z.enum(LEGAL_STATUSES),
    status: z.enum(COMMUNITY_STATUSES),
    memberCount: z.number(),
    score: z.number().nullable(),
  })
  .meta({ id: 'CommunitySummary' });

export const CommunityList = z.object({ items: z.array(CommunitySummary), total: z.number() });

// ---------------------------------------------------------------- chapters

export const CHAPTER_STATUSES = ['active', 'inactive'] as const;

export const NewChapterInput = z
  .object({
    regencyCode,
    name: name.optional().describe('Default: "ICCN " and the regency name'),
    joinedOn: isoDate.nullish(),
    contactEmail: email.nullish(),
    contactPhone: phoneInput.nullish(),
  })
  .meta({ id: 'NewChapterInput' });

export const ChapterPatchInput = z
  .object({
    name: name.optional(),
    status: z.enum(CHAPTER_STATUSES).optional(),
    joinedOn: isoDate.nullish(),
    contactEmail: email.nullish(),
    contactPhone: phoneInput.nullish(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change')
  .meta({ id: 'ChapterPatchInput' });

export const ChapterListQuery = z.object({
  regionCode: regionFilter,
  status: z.enum(CHAPTER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(600).default(100),
  offset: paging.offset,
});

export const Chapter = z
  .object({
    id: z.number(),
    name: z.string(),
    regency: z.object(RegionRef),
    provinceCode: z.string(),
    status: z.enum(CHAPTER_STATUSES),
    joinedOn: z.string().nullable(),
    contactEmail: z.string().nullable().describe('Only for callers whose scope covers the regency'),
    contactPhone: z.string().nullable().describe('Only for callers whose scope covers the regency'),
    coordinators: z
      .array(z.object({ id: z.number(), name: z.string() }))
      .describe('Regional coordinators of the regency; only for callers whose scope covers it (else empty)'),
    createdAt: z.string(),
  })
  .meta({ id: 'Chapter' });

export const ChapterList = z.object({ items: z.array(Chapter), total: z.number() });

// ---------------------------------------------------------------- partners

export const PARTNER_TYPES = ['government', 'academia', 'business', 'community', 'media', 'aggregator'] as const;

const agreementFields = {
  title: z.string().trim().min(2).max(200),
  scopeCode: RegionCode.nullish().describe('Where the agreement applies: a province or regency code, or null for the whole country'),
  validFrom: isoDate,
  validUntil: isoDate.nullish(),
  allowsPersonalData: z.boolean().default(false).describe('A signed data-sharing agreement that lets the partner see personal data'),
};

export const NewAgreementInput = z.object(agreementFields).meta({ id: 'NewAgreementInput' });
export const AgreementPatchInput = z
  .object({
    title: agreementFields.title.optional(),
    scopeCode: agreementFields.scopeCode,
    validFrom: isoDate.optional(),
    validUntil: agreementFields.validUntil,
    allowsPersonalData: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change')
  .meta({ id: 'AgreementPatchInput' });

export const NewPartnerInput = z
  .object({
    name,
    type: z.enum(PARTNER_TYPES),
    regionCode: RegionCode.nullish().describe('Province or regency where the partner works; null for a national partner'),
    website: webLink.nullish(),
    contactName: optionalText(120),
    contactEmail: email.nullish(),
    contactPhone: phoneInput.nullish(),
    agreements: z.array(NewAgreementInput).max(20).default([]),
  })
  .meta({ id: 'NewPartnerInput' });

export const PartnerPatchInput = z
  .object({
    name: name.optional(),
    type: z.enum(PARTNER_TYPES).optional(),
    regionCode: RegionCode.nullish(),
    website: webLink.nullish(),
    contactName: optionalText(120),
    contactEmail: email.nullish(),
    contactPhone: phoneInput.nullish(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change')
  .meta({ id: 'PartnerPatchInput' });

export const PartnerListQuery = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  type: z.enum(PARTNER_TYPES).optional(),
  regionCode: regionFilter,
  ...paging,
});

export const Agreement = z
  .object({
    id: z.number(),
    title: z.string(),
    scopeType: z.enum(['national', 'province', 'regency']),
    scopeCode: z.string().nullable(),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    allowsPersonalData: z.boolean(),
    active: z.boolean().describe('Valid today'),
  })
  .meta({ id: 'PartnerAgreement' });

export const Partner = z
  .object({
    id: z.number(),
    name: z.string(),
    type: z.enum(PARTNER_TYPES),
    region: z.object(RegionRef).nullable(),
    website: z.string().nullable(),
    contactName: z.string().nullable(),
    contactEmail: z.string().nullable(),
    contactPhone: z.string().nullable().describe('Masked; POST …/reveal shows it, and is logged'),
    agreements: z.array(Agreement),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Partner' });

export const PartnerList = z.object({ items: z.array(Partner), total: z.number() });
