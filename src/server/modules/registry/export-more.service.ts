/**
 * Export of the chapter and partner lists with their current filters, the way export.service.ts
 * exports members and communities: read page by page (keyset), scoped by role and region, headers
 * in the caller's language, and contact phones masked unless the caller asks to reveal them with a
 * reason and holds personal_data.reveal where the record is (audited once, with the count).
 *
 * Scope: the chapter list is public, but its export carries contacts, so it holds only the
 * chapters of the regions where the caller may read the registry. Partners follow the partner
 * list: national partners plus those working where the caller works.
 */
import { can, regionFilter, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, type Locale } from '../../platform/errors.ts';
import type { PartnerType } from '../../platform/schema.ts';
import { audit, maskPhone, regionQueryFilter, scopeCondition, type RequestMeta } from './common.ts';
import * as moreRepo from './export-more.repository.ts';
import { checkReveal, EXPORT_PAGE, pages, type ExportTable } from './export.service.ts';
import { partnerReach } from './partners.service.ts';
import * as repo from './repository.ts';

export interface ChapterExportQuery {
  regionCode?: string;
  status?: 'active' | 'inactive';
  reveal?: boolean;
  reason?: string;
}

export interface PartnerExportQuery {
  q?: string;
  type?: PartnerType;
  regionCode?: string;
  reveal?: boolean;
  reason?: string;
}

const CHAPTER_HEADERS = {
  id: ['ID', 'Nama Chapter', 'Kode Kabupaten/Kota', 'Kabupaten/Kota', 'Kode Provinsi', 'Status', 'Bergabung Sejak', 'Email Chapter', 'No. HP Chapter'],
  en: ['ID', 'Chapter name', 'Regency/city code', 'Regency/city', 'Province code', 'Status', 'Joined on', 'Chapter e-mail', 'Chapter phone'],
};
const PARTNER_HEADERS = {
  id: ['ID', 'Nama Mitra', 'Jenis', 'Kode Wilayah', 'Wilayah', 'Situs Web', 'Narahubung', 'Email Narahubung', 'No. HP Narahubung', 'Perjanjian Aktif', 'Data Pribadi Diizinkan', 'Perjanjian'],
  en: ['ID', 'Partner name', 'Type', 'Region code', 'Region', 'Website', 'Contact name', 'Contact e-mail', 'Contact phone', 'Active agreements', 'Personal data allowed', 'Agreements'],
};
const YES_NO = { id: ['Ya', 'Tidak'], en: ['Yes', 'No'] };



export async function exportChapters(ctx: AppContext, actor: Actor, query: ChapterExportQuery, locale: Locale, meta: RequestMeta): Promise<ExportTable> {
  const regions = regionFilter(actor, 'registry.read');
  if (regions.kind === 'none') throw new AppError('forbidden');
  const scope = await scopeCondition(ctx.db, { regions, communityIds: [] });
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  if (region.districtCode) throw AppError.invalid({ path: 'querystring.regionCode', code: 'province_or_regency_required', params: { code: query.regionCode! } });
  const reveal = checkReveal(actor, query);
  const filter: moreRepo.ChapterExportFilter = { scope: scope.kind === 'all' ? undefined : scope.regencies, regencies: region.regencies, status: query.status };

  async function* rows() {
    let revealed = 0;
    for await (const c of pages((after: string | null, limit) => moreRepo.chapterExportPage(ctx.db, filter, after, limit), (c) => c.regency_code)) {
      const clear = reveal && can(actor, 'personal_data.reveal', c.regency_code);
      if (clear) revealed += 1;
      yield [
        c.id,
        c.name,
        c.regency_code,
        c.regency_name,
        c.regency_code.slice(0, 2),
        c.status,
        c.joined_on,
        c.contact_email,
        clear ? c.contact_phone : maskPhone(c.contact_phone),
      ];
    }
    if (reveal) {
      await ctx.db.transaction().execute((tx) =>
        audit(ctx, tx, actor, meta, {
          action: 'chapter.export_reveal',
          entityType: 'chapter_export',
          entityId: actor.userId,
          after: { revealed, filters: { regionCode: query.regionCode ?? null, status: query.status ?? null } },
          reason: query.reason ?? null,
        }),
      );
    }
  }
  return { header: CHAPTER_HEADERS[locale], rows: rows() };
}

/** "MoU Dinas (32.73, 2024-01-01–2025-12-31, data pribadi)" */
function agreementText(a: repo.AgreementRow, locale: Locale): string {
  const scope = a.scope_code || (locale === 'en' ? 'national' : 'nasional');
  const period = `${a.valid_from}–${a.valid_until ?? ''}`;
  const personal = a.allows_personal_data ? (locale === 'en' ? ', personal data' : ', data pribadi') : '';
  return `${a.title} (${scope}, ${period}${personal})`;
}

export async function exportPartners(ctx: AppContext, actor: Actor, query: PartnerExportQuery, locale: Locale, meta: RequestMeta): Promise<ExportTable> {
  const reach = partnerReach(actor);
  const reveal = checkReveal(actor, query);
  const filter: moreRepo.PartnerExportFilter = { reach, q: query.q, type: query.type, regionCode: query.regionCode };
  const [yes, no] = YES_NO[locale];

  async function* rows() {
    let revealed = 0;
    let after: { name: string; id: number } | null = null;
    for (;;) {
      const size = EXPORT_PAGE.size;
      const items = await moreRepo.partnerExportPage(ctx.db, filter, after, size);
      const agreements = await repo.agreementsOf(
        ctx.db,
        items.map((p) => p.id),
      );
      for (const p of items) {
        const own = agreements.filter((a) => a.partner_id === p.id);
        const active = own.filter((a) => a.active);
        const clear = reveal && can(actor, 'personal_data.reveal', p.region_code);
        if (clear) revealed += 1;
        yield [
          p.id,
          p.name,
          p.type,
          p.region_code,
          p.region_name,
          p.website,
          p.contact_name,
          p.contact_email,
          clear ? p.contact_phone : maskPhone(p.contact_phone),
          active.length,
          active.some((a) => a.allows_personal_data) ? yes : no,
          own.map((a) => agreementText(a, locale)).join('; '),
        ];
      }
      if (items.length < size) break;
      const last = items[items.length - 1]!;
      after = { name: last.name, id: last.id };
    }
    if (reveal) {
      await ctx.db.transaction().execute((tx) =>
        audit(ctx, tx, actor, meta, {
          action: 'partner.export_reveal',
          entityType: 'partner_export',
          entityId: actor.userId,
          after: { revealed, filters: { q: query.q ? 'yes' : 'no', type: query.type ?? null, regionCode: query.regionCode ?? null } },
          reason: query.reason ?? null,
        }),
      );
    }
  }
  return { header: PARTNER_HEADERS[locale], rows: rows() };
}
