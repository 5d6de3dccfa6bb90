/**
 * HTTP API of spreadsheet imports: upload (raw body) → preview with report → mapping corrections →
 * commit. Large files answer 202 and continue in the background; poll the batch for progress.
 */
import { stringify } from 'csv-stringify/sync';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http.ts';
import * as s from './import.schemas.ts';
import * as imports from './import.service.ts';

const meta = (req: FastifyRequest) => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
export const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;

export async function registryImportRoutes(app: App, ctx: AppContext) {
  // Encapsulated, so the raw-file body parsers apply to these routes only.
  await app.register(async (plugin) => {
    const sub = plugin.withTypeProvider<ZodTypeProvider>();
    sub.addContentTypeParser([...s.IMPORT_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

    sub.post(
      '/api/registry/imports',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: ['registry'],
          summary: 'Upload a CSV or XLSX file (the raw request body) for a validated preview; nothing is written to the registry yet',
          querystring: s.ImportQuery,
          response: { 201: s.ImportBatch, 202: s.ImportBatch },
          ...session,
        },
      },
      async (req, reply) => {
        const actor = requireActor(req.actor);
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : '');
        const batch = await imports.createImport(ctx, actor, { kind: req.query.kind, fileName: req.query.fileName, body }, meta(req));
        return reply.code(batch.status === 'validating' ? 202 : 201).send(imports.presentBatch(batch, req.locale));
      },
    );

    sub.get(
      '/api/registry/imports',
      { schema: { tags: ['registry'], summary: 'Your 20 most recent import batches (without their reports)', response: { 200: s.ImportList }, ...session } },
      async (req) => ({ items: (await imports.listImports(ctx, requireActor(req.actor))).map((b) => imports.presentBatch(b, req.locale, { withReport: false })) }),
    );

    sub.get(
      '/api/registry/imports/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'An import batch: status, progress of background work, counts, mapping and the first rows of its report',
          params: s.ImportParams,
          response: { 200: s.ImportBatch },
          ...session,
        },
      },
      async (req, reply) => {
        const { batch, progress } = await imports.getImport(ctx, requireActor(req.actor), req.params.id);
        reply.header('cache-control', 'no-store');
        return imports.presentBatch(batch, req.locale, { progress });
      },
    );

    sub.post(
      '/api/registry/imports/:id/mapping',
      {
        schema: {
          tags: ['registry'],
          summary: 'Correct which column feeds which field, and validate the file again (202 when it runs in the background)',
          params: s.ImportParams,
          body: s.MappingInput,
          response: { 201: s.ImportBatch, 202: s.ImportBatch },
          ...session,
        },
      },
      async (req, reply) => {
        const batch = await imports.setMapping(ctx, requireActor(req.actor), req.params.id, req.body.mapping, meta(req));
        return reply.code(batch.status === 'validating' ? 202 : 201).send(imports.presentBatch(batch, req.locale));
      },
    );

    sub.get(
      '/api/registry/imports/:id/report.csv',
      { schema: { tags: ['registry'], summary: 'The full row-by-row report of an import batch, as CSV', params: s.ImportParams, ...session } },
      async (req, reply) => {
        const { batch, rows } = await imports.importReportRows(ctx, requireActor(req.actor), req.params.id);
        const en = req.locale === 'en';
        const header = en ? ['row', 'line', 'status', 'duplicate of', 'errors', 'warnings'] : ['baris', 'baris berkas', 'status', 'duplikat dari', 'kesalahan', 'peringatan'];
        const records = rows.map((r) => {
          const p = imports.presentRow(r, req.locale);
          const d = r.duplicateOf;
          const existing = d?.memberId ?? d?.communityId;
          const dup = !d ? '' : existing !== undefined ? `#${existing}` : `${en ? 'row' : 'baris'} ${d.row}`;
          return [
            r.row,
            r.line,
            r.errors.length ? (en ? 'invalid' : 'tidak valid') : en ? 'valid' : 'valid',
            dup,
            p.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
            p.warnings.map((e) => `${e.field}: ${e.message}`).join('; '),
          ];
        });
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${batch.id}-report.csv"`)
          .header('cache-control', 'no-store');
        return `\uFEFF${stringify([header, ...records])}`;
      },
    );

    sub.post(
      '/api/registry/imports/:id/commit',
      {
        schema: {
          tags: ['registry'],
          summary:
            'Write a previewed batch in one transaction: all rows or nothing, or the valid rows only; a second commit does nothing. Large batches answer 202 and commit in the background',
          params: s.ImportParams,
          body: s.CommitInput,
          response: { 200: s.ImportBatch, 202: s.ImportBatch },
          ...session,
        },
      },
      async (req, reply) => {
        const batch = await imports.commitImport(ctx, requireActor(req.actor), req.params.id, req.body, meta(req));
        return reply.code(batch.status === 'committing' ? 202 : 200).send(imports.presentBatch(batch, req.locale));
      },
    );
  });
}
