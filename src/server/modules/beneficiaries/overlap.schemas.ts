/**
 * Contracts of the "no overlap" APIs: the eligible list of a distribution, a partner's overlap
 * check on its own list, and the privacy-preserving (PPRL) exchange. NIKs travel in bodies only.
 */
import { z } from 'zod';
import { RegionCode } from '../regions/schemas.ts';
import { AidKindCode, Period, ProgrammeCode } from './benefits.schemas.ts';

const Reason = z
  .object({
    code: z.enum(['already_received', 'duplicate_in_list', 'not_found']),
    message: z.string(),
    benefitId: z.number().optional(),
    programme: z.object({ code: z.string(), name: z.string() }).optional(),
    partner: z.object({ id: z.number(), name: z.string() }).nullish(),
    period: Period.optional(),
    deliveredAt: z.string().nullish(),
    duplicateOfRecordId: z.number().optional(),
  })
  .meta({ id: 'EligibilityReason' });

/** Required with a session (staff act for a named partner); a partner's key acts for its own partner. */
const partnerIdOfCall = z
  .number()
  .int()
  .positive()
  .optional()
  .describe(
    'The partner this call is made for (its agreements decide scope and detail). Required with a session; with a partner API key leave it out: the key’s own partner is meant, and any other partner is refused',
  );

export const EligibleListInput = z
  .object({
    programme: ProgrammeCode,
    aidKind: AidKindCode,
    period: Period,
    candidates: z.union([
      z.object({ recordIds: z.array(z.number().int().positive()).min(1).max(5000) }),
      z.object({ regionCode: RegionCode.describe('Province, regency or district: every record there') }),
    ]),
  })
  .meta({ id: 'EligibleListRequest' });

export const EligibleList = z
  .object({
    programme: z.object({ code: z.string(), name: z.string() }),
    aidKind: z.string(),
    period: Period,
    included: z.number(),
    excluded: z.number(),
    /** true when a region had more records than one list holds */
    truncated: z.boolean(),
    items: z.array(
      z.object({
        recordId: z.number(),
        personId: z.number().nullable(),
        fullName: z.string().nullable(),
        regencyCode: z.string().nullable(),
        included: z.boolean(),
        reasons: z.array(Reason),
      }),
    ),
  })
  .meta({ id: 'EligibleList' });

export const PartnerOverlapInput = z
  .object({
    partnerId: partnerIdOfCall,
    aidKind: AidKindCode,
    period: Period,
    rows: z
      .array(
        z.object({
          ref: z.string().trim().max(100).nullish().describe('The partner’s own row id, echoed back'),
          nik: z.string().trim().max(30).nullish(),
          fullName: z.string().trim().min(2).max(160),
          birthDate: z.iso.date().nullish(),
          regencyCode: RegionCode.nullish(),
        }),
      )
      .min(1)
      .max(2000),
  })
  .meta({ id: 'PartnerOverlapRequest' });

const Source = z.object({
  programme: z.object({ code: z.string(), name: z.string() }),
  partner: z.object({ id: z.number(), name: z.string() }).nullable(),
});

export const PartnerOverlapResult = z
  .object({
    partnerId: z.number(),
    personalData: z.boolean().describe('Whether the agreement allows personal data: only then are person ids, dates and match details returned'),
    checked: z.number(),
    invalid: z.number(),
    alreadyReceived: z.number(),
    rows: z.array(
      z.object({
        index: z.number(),
        ref: z.string().nullable(),
        status: z.enum(['invalid', 'not_received', 'already_received']),
        errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
        sources: z.array(Source).describe('Programmes and partners that gave this kind of aid in the period'),
        detail: z
          .array(
            z.object({
              personId: z.number(),
              match: z.enum(['nik', 'name_birth_date']),
              probability: z.number(),
              benefitId: z.number(),
              period: Period,
              deliveredAt: z.string().nullable(),
              regencyCode: z.string(),
            }),
          )
          .nullable()
          .describe('Only with an agreement that allows personal data'),
      }),
    ),
  })
  .meta({ id: 'PartnerOverlapResult' });

export const PprlKeyInput = z
  .object({
    partnerId: z.number().int().positive(),
    keyRef: z
      .string()
      .regex(/^SIMPUL_PPRL_KEY_[A-Z0-9_]{1,60}$/)
      .describe('Name of the server environment variable that holds the secret agreed with the partner (the secret itself never reaches the API)'),
  })
  .meta({ id: 'PprlKeyRequest' });

export const PprlKey = z.object({ partnerId: z.number(), keyRef: z.string(), keyFingerprint: z.string() }).meta({ id: 'PprlKey' });

export const PprlExchangeInput = z
  .object({
    partnerId: partnerIdOfCall,
    aidKind: AidKindCode,
    period: Period,
    encodings: z
      .looseObject({
        version: z.literal(1),
        keyId: z.string().max(64),
        count: z.number().int().min(0).max(100_000),
        mode: z.enum(['clk', 'fields']),
        bits: z.number().int().min(64).max(4096),
        words: z.number().int().min(2).max(128),
        q: z.number().int().min(1).max(4),
        hashing: z.enum(['double', 'random']),
        hashes: z.object({ name: z.number().int().min(1).max(100), birthDate: z.number().int().min(1).max(100) }),
        fields: z.array(z.enum(['name', 'birthDate'])),
        nik: z.array(z.string().max(100).nullable()),
        filters: z.record(z.string(), z.string()),
        blocks: z.record(z.string(), z.array(z.string().max(100).nullable())),
      })
      .describe('The output of serializeEncodings (src/lib/linkage/pprl.ts), made with the agreed secret key'),
  })
  .meta({ id: 'PprlExchangeRequest' });

export const PprlExchangeResult = z
  .object({
    partnerId: z.number(),
    keyFingerprint: z.string(),
    theirRows: z.number(),
    registryPersons: z.number().describe('Persons who received this kind of aid in the period, in the agreement’s scope'),
    overlap: z.number().describe('Partner rows that matched at least one person'),
    matchedPersons: z.number(),
    pairs: z.array(
      z.object({
        row: z.number().describe('Index of the partner’s row'),
        personRef: z.string().describe('Opaque: an HMAC of our person id under the exchange key; never our id'),
        score: z.number(),
        nik: z.boolean().nullable(),
      }),
    ),
  })
  .meta({ id: 'PprlExchangeResult' });
