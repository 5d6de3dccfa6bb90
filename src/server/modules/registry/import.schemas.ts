/** Request and response shapes of the import endpoints. */
import { z } from 'zod';

export const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
] as const;

export const ImportQuery = z.object({
  kind: z.enum(['members', 'communities']).default('members'),
  fileName: z.string().trim().min(1).max(255),
});

export const ImportParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const MappingInput = z.object({
  mapping: z
    .record(z.string().max(40), z.string().max(255).nullable())
    .describe('Target field key → the file header that feeds it, or null to import nothing into that field'),
});

export const CommitInput = z.object({
  mode: z.enum(['all_or_nothing', 'valid_only']),
  skipDuplicates: z.boolean().optional(),
});

const Issue = z.object({ field: z.string(), code: z.string(), message: z.string() });

export const ReportRow = z.object({
  row: z.number(),
  line: z.number(),
  errors: z.array(Issue),
  warnings: z.array(Issue),
  duplicateOf: z
    .object({ memberId: z.number().optional(), communityId: z.number().optional(), row: z.number().optional(), kind: z.enum(['nik', 'person', 'name']) })
    .optional(),
});

export const ImportBatch = z
  .object({
    id: z.number(),
    kind: z.enum(['members', 'communities']),
    fileName: z.string(),
    status: z.enum(['validating', 'preview', 'committing', 'committed', 'failed']),
    rows: z.number(),
    valid: z.number(),
    invalid: z.number(),
    duplicates: z.number(),
    mapping: z.record(z.string(), z.string()).describe('Field key → the header that feeds it'),
    unmapped: z.array(z.string()).describe('Headers that feed no field'),
    headers: z.array(z.string()).describe("The file's headers, in order"),
    fields: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })).describe('The fields a column can feed'),
    createdAt: z.string(),
    background: z.boolean().describe('Processed by a background job (large files): poll until the status settles'),
    progress: z
      .object({ phase: z.string(), done: z.number(), total: z.number().nullable(), etaSeconds: z.number().nullable() })
      .nullable()
      .describe('While validating or committing in the background: rows done, total (estimated while reading) and seconds left'),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    report: z.array(ReportRow).describe('Rows with errors or warnings, the first 100; report.csv has them all'),
  })
  .meta({ id: 'ImportBatch' });

export const ImportList = z.object({ items: z.array(ImportBatch) });
