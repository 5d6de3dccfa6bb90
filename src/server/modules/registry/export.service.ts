/**
 * Export of any registry list with its current filters: the same scope and filters as the list
 * endpoints, read page by page (keyset pagination, export.repository.ts), as rows of cells for a
 * CSV or XLSX writer. Personal data follows the lists' rule: a member's NIK and phone and a
 * community contact person's phone are masked unless the caller asks to reveal them with a reason
 * and holds personal_data.reveal for the record's region (the export is then audited once, with
 * the count, not the data).
 */
import { can, hasPermission, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, type Locale } from '../../platform/errors.ts';
import { audit, maskNikOrNull, maskPhone, nameSearch, regionQueryFilter, scopeCondition, type RequestMeta } from './common.ts';
import * as exportRepo from './export.repository.ts';
import { listScope } from './policy.ts';

/** Rows read per query; tests make it small to cross page boundaries. */
export const EXPORT_PAGE = { size: 1000 };

export interface MemberExportQuery {
  q?: string;
  regionCode?: string;
  subsector?: string;
  communityId?: number;
  status?: 'pending' | 'active' | 'rejected';
  reveal?: boolean;
  reason?: string;
}

export interface CommunityExportQuery {
  q?: string;
  regionCode?: string;
  subsector?: string;
  status?: 'pending' | 'active' | 'rejected' | 'inactive';
  reveal?: boolean;
  reason?: string;
}

export interface ExportTable {
  header: string[];
  rows: AsyncGenerator<(string | number | null)[]>;
}

const MEMBER_HEADERS = {
  id: ['ID', 'Nama', 'NIK', 'No. HP', 'Email', 'Jenis Kelamin', 'Tanggal Lahir', 'Kode Kabupaten/Kota', 'Kabupaten/Kota', 'Kode Kecamatan', 'Subsektor', 'Status'],
  en: ['ID', 'Name', 'NIK', 'Phone', 'E-mail', 'Gender', 'Birth date', 'Regency/city code', 'Regency/city', 'District code', 'Subsectors', 'Status'],
};
// Contacts come last, so the columns earlier exports had keep their places.
const COMMUNITY_HEADERS = {
  id: ['ID', 'Nama Komunitas', 'Kode Kabupaten/Kota', 'Kabupaten/Kota', 'Subsektor', 'Status Hukum', 'Status', 'Jumlah Anggota', 'Narahubung', 'No. HP Narahubung', 'Email Komunitas'],
  en: ['ID', 'Community name', 'Regency/city code', 'Regency/city', 'Subsectors', 'Legal status', 'Status', 'Members', 'Contact name', 'Contact phone', 'Contact e-mail'],
};

/** A reveal needs the permission somewhere and a reason; each row is then cleared only where the caller holds it. */
export function checkReveal(actor: Actor, query: { reveal?: boolean; reason?: string }): boolean {
  if (query.reveal !== true) return false;
  if (!hasPermission(actor, 'personal_data.reveal')) throw new AppError('forbidden');
  if (!query.reason || query.reason.trim().length < 5) throw AppError.invalid({ path: 'querystring.reason', code: 'required' });
  return true;
}

/** Every row of a filtered list, in the list's order, one keyset page at a time. */
export async function* pages<T, C>(read: (after: C | null, limit: number) => Promise<T[]>, cursorOf: (row: T) => C): AsyncGenerator<T> {
  let after: C | null = null;
  for (;;) {
    const size = EXPORT_PAGE.size;
    const items = await read(after, size);
    yield* items;
    if (items.length < size) return;
    after = cursorOf(items[items.length - 1]!);
  }
}

export async function exportMembers(ctx: AppContext, actor: Actor, query: MemberExportQuery, locale: Locale, meta: RequestMeta): Promise<ExportTable> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'registry.read'));
  const search = nameSearch(query.q);
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  const reveal = checkReveal(actor, query);
  const filter = { scope, search: search ?? undefined, ...region, subsector: query.subsector, communityId: query.communityId, status: query.status };

  async function* rows() {
    if (search === null) return;
    let revealed = 0;
    for await (const m of pages((after: exportRepo.Cursor | null, limit) => exportRepo.memberExportPage(ctx.db, filter, after, limit), (m) => exportRepo.cursorOf(m, m.full_name))) {
      const clear = reveal && can(actor, 'personal_data.reveal', m.regency_code);
      if (clear) revealed += 1;
      yield [
        m.id,
        m.full_name,
        clear ? m.nik : maskNikOrNull(m.nik),
        clear ? m.phone : maskPhone(m.phone),
        m.email,
        m.gender,
        m.birth_date,
        m.regency_code,
        m.regency_name,
        m.district_code,
        m.subsectors.join('; '),
        m.status,
      ];
    }
    if (reveal) {
      await ctx.db.transaction().execute((tx) =>
        audit(ctx, tx, actor, meta, {
          action: 'member.export_reveal',
          entityType: 'member_export',
          entityId: actor.userId,
          after: { revealed, filters: { q: query.q ? 'yes' : 'no', regionCode: query.regionCode ?? null, subsector: query.subsector ?? null, status: query.status ?? null } },
          reason: query.reason ?? null,
        }),
      );
    }
  }
  return { header: MEMBER_HEADERS[locale], rows: rows() };
}

export async function exportCommunities(ctx: AppContext, actor: Actor, query: CommunityExportQuery, locale: Locale, meta: RequestMeta): Promise<ExportTable> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'registry.read'));
  const search = nameSearch(query.q);
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  const reveal = checkReveal(actor, query);
  const filter = { scope, search: search ?? undefined, ...region, subsector: query.subsector, status: query.status };

  async function* rows() {
    if (search === null) return;
    let revealed = 0;
    for await (const c of pages((after: exportRepo.Cursor | null, limit) => exportRepo.communityExportPage(ctx.db, filter, after, limit), (c) => exportRepo.cursorOf(c, c.name))) {
      const clear = reveal && can(actor, 'personal_data.reveal', c.regency_code);
      if (clear) revealed += 1;
      yield [
        c.id,
        c.name,
        c.regency_code,
        c.regency_name,
        c.subsectors.join('; '),
        c.legal_status,
        c.status,
        c.member_count,
        c.contact_name,
        clear ? c.contact_phone : maskPhone(c.contact_phone),
        c.contact_email,
      ];
    }
    if (reveal) {
      await ctx.db.transaction().execute((tx) =>
        audit(ctx, tx, actor, meta, {
          action: 'community.export_reveal',
          entityType: 'community_export',
          entityId: actor.userId,
          after: { revealed, filters: { q: query.q ? 'yes' : 'no', regionCode: query.regionCode ?? null, subsector: query.subsector ?? null, status: query.status ?? null } },
          reason: query.reason ?? null,
        }),
      );
    }
  }
  return { header: COMMUNITY_HEADERS[locale], rows: rows() };
}
