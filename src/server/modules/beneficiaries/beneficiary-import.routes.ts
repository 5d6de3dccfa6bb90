/** HTTP API of beneficiary imports: upload a file (raw body), then poll the batch while a job registers its rows. */
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http.ts';
import { IMPORT_CONTENT_TYPES } from '../registry/import.schemas.ts';
import * as imports from './beneficiary-import.service.ts';
import { DedupRunProgress } from './dedup-run.schemas.ts';

const meta = (req: FastifyRequest) => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const BODY_LIMIT = 50 * 1024 * 1024;

const ImportQuery = z.object({
  fileName: z.string().trim().min(1).max(255),
  consentPurpose: z.string().trim().min(1).max(60).default('programmes').describe('The consent every person in the file gave'),
  consentVersion: z.coerce.number().int().positive().describe('The version of that consent text'),
});

const BeneficiaryImportSummary = z
  .object({
    id: z.number(),
    fileName: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    consent: z.object({ purpose: z.string(), version: z.number() }).describe('The consent every person in the file gave, as the uploader confirmed it'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    progress: DedupRunProgress.nullable(),
    counts: z.record(z.string(), z.number()).nullable().describe('rows, new, linked, queued, invalid, replayed'),
    error: z.string().nullable(),
  })
  .meta({ id: 'BeneficiaryImportSummary' });

const BeneficiaryImport = BeneficiaryImportSummary.extend({
  problems: z
    .array(
      z.object({
        row: z.number(),
        line: z.number().describe('Line in the file (the header is line 1 unless preceded by title lines)'),
        errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string().describe('In the caller’s language') })),
      }),
    )
    .describe('The first 100 rows that could not be registered'),
}).meta({ id: 'BeneficiaryImport' });

export async function beneficiaryImportRoutes(app: App, ctx: AppContext) {
  await app.register(async (plugin) => {
    const sub = plugin.withTypeProvider<ZodTypeProvider>();
    sub.addContentTypeParser([...IMPORT_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

    sub.post(
      '/api/beneficiaries/imports',
      {
        bodyLimit: BODY_LIMIT,
        schema: {
          tags: ['beneficiaries'],
          summary: 'Upload a CSV or XLSX of beneficiaries (raw body); a background job registers each row like one registration (duplicates linked or queued)',
          querystring: ImportQuery,
          response: { 202: BeneficiaryImport },
          ...session,
        },
      },
      async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : '');
        const batch = await imports.createBeneficiaryImport(
          ctx,
          requireActor(req.actor),
          { fileName: req.query.fileName, body, consentPurpose: req.query.consentPurpose, consentVersion: req.query.consentVersion },
          meta(req),
        );
        return reply.code(202).send(batch);
      },
    );

    sub.get(
      '/api/beneficiaries/imports',
      {
        schema: {
          tags: ['beneficiaries'],
          summary: 'The caller’s recent beneficiary imports (20, newest first), so one running in the background can be reopened',
          response: { 200: z.object({ items: z.array(BeneficiaryImportSummary) }).meta({ id: 'BeneficiaryImportList' }) },
          ...session,
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return { items: await imports.listBeneficiaryImports(ctx, requireActor(req.actor)) };
      },
    );

    sub.get(
      '/api/beneficiaries/imports/template',
      {
        schema: {
          tags: ['beneficiaries'],
          summary: 'An empty CSV with the column names the importer recognises',
          produces: ['text/csv'],
          ...session,
        },
      },
      async (req, reply) => {
        requireActor(req.actor);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="templat-impor-penerima.csv"')
          .send(imports.templateCsv());
      },
    );

    sub.get(
      '/api/beneficiaries/imports/:id',
      {
        schema: {
          tags: ['beneficiaries'],
          summary: 'A beneficiary import: status, progress (rows done, total, time left), counts and the rows that could not be registered',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: BeneficiaryImport },
          ...session,
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return imports.getBeneficiaryImport(ctx, requireActor(req.actor), req.params.id, req.locale);
      },
    );
  });
}
