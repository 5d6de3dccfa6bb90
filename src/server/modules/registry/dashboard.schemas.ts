/** Contracts of the registry dashboard (coordinators) and the public registry summary (anyone). */
import { z } from 'zod';
import { RegionCode } from '../regions/schemas.ts';
import { MAX_MONTHS } from './dashboard.repository.ts';

const region = RegionCode.optional().describe(
  'A province code (e.g. 32): one row per regency of that province. Without it: one row per province (coordinators of one province start at their province).',
);

export const DashboardQuery = z.object({
  region,
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_MONTHS)
    .default(12)
    .describe('Data freshness window: a member counts as fresh when their data was confirmed in the last N months'),
});

export const PublicSummaryQuery = z.object({ region });

const count = z.number().int().min(0);
const share = z.number().min(0).max(1);
/** Public counts of people: 1 to 4 are shown as "<5" so that no small group can be singled out. */
const suppressible = z.union([count, z.literal('<5')]);

const RegionRef = z.object({ code: z.string(), name: z.string() });

const Coverage = z
  .object({
    regenciesWithChapter: count,
    regencies: count.describe('Regencies and cities in view (514 nationally)'),
    share,
  })
  .describe('Regencies and cities with an active chapter');

const level = z.enum(['province', 'regency']).describe('What each row is');

export const DashboardResponse = z.object({
  generatedAt: z.string().describe('When the counts were taken; while the dashboard is in use they are recounted about every 30 seconds'),
  level,
  region: RegionRef.nullable().describe('The province the rows belong to, or null for the national view'),
  totals: z.object({
    members: z.object({ active: count, pending: count }),
    communities: z.object({ active: count, pending: count }),
    chapters: count.describe('Active chapters'),
  }),
  coverage: Coverage,
  freshness: z.object({
    months: z.number().int(),
    fresh: count.describe('Active members whose data was confirmed in the last `months` months'),
    active: count,
    share: share.nullable().describe('fresh / active; null without active members'),
  }),
  rows: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        members: count.describe('Active members'),
        pendingMembers: count,
        communities: count.describe('Active communities'),
        chapters: count.describe('Active chapters'),
        chapter: z.boolean().describe('At least one active chapter'),
        regencies: count.describe('Regencies in view inside this row (1 for a regency row)'),
        freshShare: share.nullable(),
      }),
    )
    .describe(
      'One row per province or regency in your scope, zeros included; a region outside your scope has no row (it is not zero: maps draw it as outside your area)',
    ),
  subsectors: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), members: count, communities: count })),
});

export const PublicSummaryResponse = z.object({
  generatedAt: z.string(),
  level,
  region: RegionRef.nullable(),
  totals: z.object({ members: count, communities: count, chapters: count }),
  coverage: Coverage,
  rows: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      members: suppressible,
      communities: count,
      chapters: count,
      chapter: z.boolean(),
    }),
  ),
  subsectors: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string(), members: suppressible, communities: count })),
});

export type DashboardResponse = z.infer<typeof DashboardResponse>;
export type PublicSummaryResponse = z.infer<typeof PublicSummaryResponse>;
