/** Export of the registry's lists (members, communities, chapters, partners), with their filters, as streamed CSV or XLSX. */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Locale } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import * as moreExporter from './export-more.service.ts';
import * as exporter from './export.service.ts';
import { ChapterListQuery, CommunityListQuery, MemberListQuery, PartnerListQuery } from './schemas.ts';

const session = { security: [{ sessionCookie: [] }] };
const format = z.enum(['csv', 'xlsx']).default('csv');

const reveal = {
  reveal: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  reason: z.string().trim().min(5).max(500).optional(),
};
/** A download link cannot set Accept-Language: the page names the language it shows. */
const lang = z.enum(['id', 'en']).optional().describe('Language of the headers; default from Accept-Language');
const MemberExportQuery = MemberListQuery.omit({ limit: true, offset: true }).extend({ format, lang, ...reveal });
const CommunityExportQuery = CommunityListQuery.omit({ limit: true, offset: true }).extend({ format, lang, ...reveal });
const ChapterExportQuery = ChapterListQuery.omit({ limit: true, offset: true }).extend({ format, lang, ...reveal });
const PartnerExportQuery = PartnerListQuery.omit({ limit: true, offset: true }).extend({ format, lang, ...reveal });

function send(reply: FastifyReply, locale: Locale, name: string, fmt: 'csv' | 'xlsx', table: exporter.ExportTable) {
  const stamp = new Date().toISOString().slice(0, 10);
  reply
    .header('content-disposition', `attachment; filename="${name}-${stamp}.${fmt}"`)
    .header('cache-control', 'no-store')
    .header('content-language', locale);
  if (fmt === 'csv') {
    const csv = stringify({ bom: true });
    const source = Readable.from(
      (async function* () {
        yield table.header;
        yield* table.rows;
      })(),
    );
    source.on('error', (err) => csv.destroy(err));
    reply.header('content-type', 'text/csv; charset=utf-8');
    return reply.send(source.pipe(csv));
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(name);
  void (async () => {
    try {
      sheet.addRow(table.header).commit();
      for await (const row of table.rows) sheet.addRow(row).commit();
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return reply.send(out);
}

export async function registryExportRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/members/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'The member list with its filters as CSV or XLSX; NIK and phone masked unless reveal=true with a reason (needs personal_data.reveal; audited)',
        querystring: MemberExportQuery,
        ...session,
      },
    },
    async (req, reply) => {
      const { format: fmt, lang: chosen, ...query } = req.query;
      const locale = chosen ?? req.locale;
      const table = await exporter.exportMembers(ctx, requireActor(req.actor), query, locale, { requestId: String(req.id) });
      return send(reply, locale, locale === 'en' ? 'members' : 'anggota', fmt, table);
    },
  );

  app.get(
    '/api/communities/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'The community list with its filters as CSV or XLSX; contact phones masked unless reveal=true with a reason (needs personal_data.reveal; audited)',
        querystring: CommunityExportQuery,
        ...session,
      },
    },
    async (req, reply) => {
      const { format: fmt, lang: chosen, ...query } = req.query;
      const locale = chosen ?? req.locale;
      const table = await exporter.exportCommunities(ctx, requireActor(req.actor), query, locale, { requestId: String(req.id) });
      return send(reply, locale, locale === 'en' ? 'communities' : 'komunitas', fmt, table);
    },
  );
  app.get(
    '/api/chapters/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'The chapters of the caller’s regions, with the list filters, as CSV or XLSX; phones masked unless reveal=true with a reason (needs personal_data.reveal; audited)',
        querystring: ChapterExportQuery,
        ...session,
      },
    },
    async (req, reply) => {
      const { format: fmt, lang: chosen, ...query } = req.query;
      const locale = chosen ?? req.locale;
      const table = await moreExporter.exportChapters(ctx, requireActor(req.actor), query, locale, { requestId: String(req.id) });
      return send(reply, locale, locale === 'en' ? 'chapters' : 'chapter', fmt, table);
    },
  );

  app.get(
    '/api/partners/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'The partner list with its filters and agreements as CSV or XLSX; contact phones masked unless reveal=true with a reason (needs personal_data.reveal; audited)',
        querystring: PartnerExportQuery,
        ...session,
      },
    },
    async (req, reply) => {
      const { format: fmt, lang: chosen, ...query } = req.query;
      const locale = chosen ?? req.locale;
      const table = await moreExporter.exportPartners(ctx, requireActor(req.actor), query, locale, { requestId: String(req.id) });
      return send(reply, locale, locale === 'en' ? 'partners' : 'mitra', fmt, table);
    },
  );
}

