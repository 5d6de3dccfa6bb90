/** Request and response shapes of the import endpoints. */
import { z } from 'zod';

export const IMPORT_CONTENT_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
] as const;

export const ImportQuery = z.object({
  kind: z.enum(['members']).default('members'),
  fileName: z.string().trim().min(1).max(255),
});

export const ImportParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

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
  duplicateOf: z.object({ memberId: z.number().optional(), row: z.number().optional(), kind: z.enum(['nik', 'person']) }).optional(),
});

export const ImportBatch = z.object({
  id: z.number(),
  kind: z.enum(['members', 'communities']),
  fileName: z.string(),
  status: z.enum(['preview', 'committed']),
  rows: z.number(),
  valid: z.number(),
  invalid: z.number(),
  duplicates: z.number(),
  mapping: z.record(z.string(), z.string()),
  unmapped: z.array(z.string()),
  background: z.boolean().describe('Processed in a background job (not yet: every file is processed in the request)'),
  result: z.record(z.string(), z.unknown()).nullable(),
  report: z.array(ReportRow).describe('Rows with errors or warnings, the first 100; report.csv has them all'),
});
