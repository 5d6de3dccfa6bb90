/**
 * Request and response contracts of the beneficiary registry. The same schemas validate requests
 * and write the OpenAPI document. NIK, KK and phone never travel in a URL: search is by name, and
 * reveal takes the field in its body.
 */
import { z } from 'zod';
import { RegionCode } from '../regions/schemas.ts';

const id = z.coerce.number().int().positive();
export const IdParams = z.object({ id });

const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};

export const SOURCE_KINDS = ['programme', 'partner', 'import', 'registry'] as const;
export const DUPLICATE_STATUSES = ['pending', 'merged', 'not_same', 'later'] as const;
export const OUTCOMES = ['new', 'linked', 'queued'] as const;

export const Warning = z
  .object({ path: z.string(), code: z.string(), message: z.string() })
  .meta({ id: 'BeneficiaryWarning', description: 'Something to double-check; the record was saved anyway' });

export const NewBeneficiaryInput = z
  .object({
    source: z.object({
      kind: z.enum(SOURCE_KINDS),
      ref: z.string().trim().min(1).max(100).describe('Programme code, partner id, import batch id or member id'),
      externalId: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .nullish()
        .describe('This record’s own id in its source (a partner’s row id, an import row): a second submission with the same one is not a new record'),
    }),
    fullName: z.string().trim().min(2).max(160),
    nik: z.string().trim().max(30).nullish().describe('16-digit NIK; spaces, dots and dashes are removed'),
    kk: z.string().trim().max(30).nullish().describe('16-digit family card (KK) number'),
    birthDate: z.iso.date().nullish().describe('YYYY-MM-DD'),
    sex: z.enum(['L', 'P']).nullish().describe('L laki-laki, P perempuan'),
    regencyCode: RegionCode.describe('Regency/city where the person lives, e.g. 32.73'),
    districtCode: RegionCode.nullish(),
    address: z.string().trim().max(300).nullish(),
    phone: z.string().trim().min(6).max(30).nullish().describe('Any common form; stored as E.164'),
    consent: z.object({
      purpose: z.string().trim().min(1).max(60).describe('A consent purpose, e.g. programmes'),
      version: z.number().int().positive().describe('The version of the consent text the person agreed to'),
      given: z.literal(true, 'confirm_required').describe('The person agreed'),
      givenAt: z.iso.datetime({ offset: true }).nullish().describe('When (default: now)'),
    }),
  })
  .meta({ id: 'NewBeneficiaryInput' });

const RegionRef = z.object({ code: z.string(), name: z.string().nullable() });

export const BeneficiaryRecord = z
  .object({
    id: z.number(),
    personId: z.number(),
    householdId: z.number().nullable(),
    source: z.object({ kind: z.enum(SOURCE_KINDS), ref: z.string(), externalId: z.string().nullable() }),
    fullName: z.string(),
    nik: z.string().nullable().describe('Masked; POST /api/beneficiaries/records/{id}/reveal shows it, and is logged'),
    kk: z.string().nullable().describe('Masked'),
    birthDate: z.string().nullable(),
    sex: z.enum(['L', 'P']).nullable(),
    regency: RegionRef,
    districtCode: z.string().nullable(),
    address: z.string().nullable().describe('Shown only to callers who may reveal personal data in the regency'),
    phone: z.string().nullable().describe('Masked'),
    consent: z.object({ purpose: z.string(), version: z.number(), givenAt: z.string() }),
    link: z
      .object({ outcome: z.enum(OUTCOMES), probability: z.number().nullable() })
      .describe('What linkage decided when the record arrived: linked automatically (with the match probability), queued for review, or new'),
    createdAt: z.string(),
  })
  .meta({ id: 'BeneficiaryRecord' });

export const RegistrationResult = z
  .object({
    record: BeneficiaryRecord,
    personId: z.number().describe('The stable person id shared by every programme'),
    outcome: z.enum(OUTCOMES).describe('linked: joined an existing person automatically; queued: new person, possible duplicates sent to review; new: new person'),
    probability: z.number().nullable().describe('Match probability of the best candidate, if any'),
    queuedCandidates: z.number().describe('Pairs sent to the review queue'),
    replayed: z.boolean().describe('True when this answers a retried request: nothing new was written'),
    warnings: z.array(Warning),
  })
  .meta({ id: 'BeneficiaryRegistration' });

export const Merge = z
  .object({
    id: z.number(),
    candidateId: z.number().nullable().describe('The reviewed pair the merge decided, if any'),
    fromPerson: z.number(),
    intoPerson: z.number(),
    movedRecordIds: z.array(z.number()),
    mergedAt: z.string(),
    undoneAt: z.string().nullable(),
    note: z.string().nullable().describe('The reviewer’s note on the merge decision'),
  })
  .meta({ id: 'PersonMerge' });

export const Split = z
  .object({
    id: z.number(),
    recordId: z.number(),
    fromPerson: z.number(),
    newPerson: z.number(),
    splitAt: z.string(),
    note: z.string().nullable(),
  })
  .meta({ id: 'PersonSplit' });

export const Person = z
  .object({
    id: z.number(),
    requestedId: z.number().describe('The id asked for; differs from id when that person was merged into this one'),
    status: z.enum(['active', 'merged']),
    records: z.array(BeneficiaryRecord).describe('Only the records in the caller’s scope'),
    hiddenRecords: z.number().describe('Records of this person outside the caller’s scope'),
    merges: z.array(Merge).describe('Merges into or out of this person, newest first (undone ones too)'),
    splits: z.array(Split).describe('Records split off this person, or this person made by a split, newest first'),
  })
  .meta({ id: 'BeneficiaryPerson' });

export const RecordListQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((v) => !/\d{6,}/.test(v.replace(/[\s.-]/g, '')), 'search_without_numbers')
    .optional()
    .describe('Name; forgives typos and old spellings. Not a NIK or phone number.'),
  regionCode: RegionCode.optional().describe('A province, regency or district'),
  ...paging,
});

export const RecordList = z.object({
  items: z.array(BeneficiaryRecord.extend({ score: z.number().nullable() })),
  total: z.number(),
});

export const RevealInput = z.object({
  field: z.enum(['nik', 'kk', 'phone', 'address']),
  reason: z.string().trim().min(5).max(500).describe('Why the clear value is needed; written to the audit log'),
});
export const RevealResult = z.object({ field: z.enum(['nik', 'kk', 'phone', 'address']), value: z.string().nullable() });

const Contribution = z.object({
  field: z.string(),
  level: z.number(),
  label: z.string(),
  weight: z.number().describe('Bits this field adds to the match weight'),
  m: z.number().optional(),
  u: z.number().optional(),
});

export const DuplicateCandidate = z
  .object({
    id: z.number(),
    status: z.enum(DUPLICATE_STATUSES),
    score: z.number().describe('Match weight, bits'),
    probability: z.number(),
    priorWeight: z.number(),
    contributions: z.array(Contribution).describe('Each field’s contribution; they add up to the score with the prior'),
    recordA: BeneficiaryRecord,
    recordB: BeneficiaryRecord,
    samePerson: z.boolean().describe('The two records already belong to one person (joined through another pair or an automatic link)'),
    decidedBy: z.number().nullable(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
    mergeId: z.number().nullable().describe('The merge this decision made, to undo it'),
    createdAt: z.string(),
  })
  .meta({ id: 'DuplicateCandidate' });

export const DuplicateListQuery = z.object({ status: z.enum(DUPLICATE_STATUSES).optional(), ...paging });
export const DuplicateList = z.object({ items: z.array(DuplicateCandidate), total: z.number() });

export const DecisionInput = z.object({
  decision: z.enum(['merge', 'not_same', 'later']),
  note: z.string().trim().max(500).nullish(),
});

export const SplitInput = z.object({ note: z.string().trim().max(500).nullish().describe('Why this record is not that person') });

export const SplitResult = z.object({ split: Split, person: z.number().describe('The record’s new person') });

export const DecisionResult = z.object({ candidate: DuplicateCandidate, merge: Merge.nullable() });

const settingsFields = {
  autoLinkProbability: z.number().min(0.5).max(1).describe('At or above: a new record joins the matched person automatically (default 0.99)'),
  reviewProbability: z.number().min(0.01).max(1).describe('At or above (below the other): the pair goes to the review queue (default 0.5)'),
};

export const Settings = z
  .object(settingsFields)
  .refine((s) => s.reviewProbability <= s.autoLinkProbability, 'review_above_auto_link')
  .meta({ id: 'BeneficiaryLinkageSettings' });

export const SettingsPatch = z
  .object({ autoLinkProbability: settingsFields.autoLinkProbability.optional(), reviewProbability: settingsFields.reviewProbability.optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing_to_change');
