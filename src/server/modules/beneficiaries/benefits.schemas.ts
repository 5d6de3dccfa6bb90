/** Request and response contracts of the benefit ledger: aid kinds, aid programmes and benefits given. */
import { z } from 'zod';

export const ProgrammeCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,39}$/)
  .describe('Programme code, e.g. RESCUE-PANGAN');
export const AidKindCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{1,39}$/)
  .describe('Kind of aid, e.g. food_package, apd, cash');

export const Period = z
  .object({
    start: z.iso.date().describe('First day, YYYY-MM-DD'),
    end: z.iso.date().describe('Last day, YYYY-MM-DD (inclusive)'),
  })
  .meta({ id: 'AidPeriod', description: 'A period of aid; two periods overlap when they share at least one day' });

export const AidKind = z.object({ code: z.string(), name: z.string(), unit: z.string() }).meta({ id: 'AidKind' });
export const AidKindList = z.object({ items: z.array(AidKind) });

export const Programme = z
  .object({ id: z.number(), code: z.string(), name: z.string(), aidKinds: z.array(z.string()) })
  .meta({ id: 'AidProgramme' });
export const ProgrammeList = z.object({ items: z.array(Programme) });

export const NewProgrammeInput = z
  .object({
    code: ProgrammeCode,
    name: z.string().trim().min(2).max(160),
    aidKinds: z.array(AidKindCode).min(1).max(20),
  })
  .meta({ id: 'NewAidProgrammeInput' });

export const NewBenefitInput = z
  .object({
    recordId: z.number().int().positive().describe('The beneficiary record the aid was given through'),
    programme: ProgrammeCode,
    aidKind: AidKindCode,
    period: Period,
    partnerId: z.number().int().positive().nullish().describe('The partner that gave or funded it, if any'),
    quantity: z.number().positive().max(1_000_000).nullish().describe('In the kind’s unit (paket, set)'),
    amount: z.number().int().min(0).max(1_000_000_000_000).nullish().describe('Whole rupiah (cash)'),
    deliveredAt: z.iso.datetime({ offset: true }).nullish(),
  })
  .meta({ id: 'NewBenefitInput' });

export const Benefit = z
  .object({
    id: z.number(),
    personId: z.number().describe('The person the record belongs to now (merges resolved)'),
    recordId: z.number(),
    programme: z.object({ code: z.string(), name: z.string() }),
    aidKind: z.string(),
    period: Period,
    partner: z.object({ id: z.number(), name: z.string() }).nullable(),
    regencyCode: z.string(),
    quantity: z.string().nullable(),
    amount: z.number().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Benefit' });

export const BenefitResult = z.object({
  benefit: Benefit,
  replayed: z.boolean().describe('true when this request repeated an earlier one (nothing written)'),
});

export const PersonBenefitsQuery = z.object({ aidKind: AidKindCode.optional() });
export const BenefitList = z.object({ items: z.array(Benefit) });

/** The most benefits one batch records: one eligible list (overlap.service MAX_LIST). */
export const MAX_BATCH = 5000;

export const NewBenefitBatchInput = z
  .object({
    idempotencyKey: z
      .string()
      .trim()
      .min(8)
      .max(160)
      .regex(/^[A-Za-z0-9._:-]+$/)
      .describe('One key per distribution (a UUID made when the user opens the confirmation): a retry or a second click with the same key writes nothing again'),
    programme: ProgrammeCode,
    aidKind: AidKindCode,
    period: Period,
    partnerId: z.number().int().positive().nullish().describe('The partner that gave or funded it, if any'),
    quantity: z.number().positive().max(1_000_000).nullish().describe('Per person, in the kind’s unit'),
    amount: z.number().int().min(0).max(1_000_000_000_000).nullish().describe('Per person, whole rupiah (cash)'),
    deliveredAt: z.iso.datetime({ offset: true }).nullish(),
    recordIds: z
      .array(z.number().int().positive())
      .min(1)
      .max(MAX_BATCH)
      .refine((ids) => new Set(ids).size === ids.length, 'duplicate_record_ids')
      .describe('The records served (the included rows of an eligible list)'),
  })
  .meta({ id: 'NewBenefitBatchInput' });

export const BenefitBatchResult = z
  .object({
    recorded: z.number().describe('Benefits written by this request'),
    replayed: z.number().describe('Benefits that were already there with the same content (a retry): nothing written'),
    items: z.array(z.object({ recordId: z.number(), personId: z.number(), benefitId: z.number(), replayed: z.boolean() })),
  })
  .meta({ id: 'BenefitBatchResult' });
