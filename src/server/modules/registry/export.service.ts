/**
 * Export of any registry list with its current filters: the same scope and filters as the list
 * endpoints, read page by page, as rows of cells for a CSV or XLSX writer. NIK and phone are masked
 * unless the caller asks to reveal them with a reason and holds personal_data.reveal for the
 * member's region (the export is then audited once, with the count, not the data).
 */
import { sql } from 'kysely';
import { can, hasPermission, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, type Locale } from '../../platform/errors.ts';
import { audit, maskNikOrNull, maskPhone, nameSearch, regionQueryFilter, scopeCondition, type RequestMeta } from './common.ts';
import { listScope } from './policy.ts';
import * as repo from './repository.ts';

const PAGE = 1000;

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
}

export interface ExportTable {
  header: string[];
  rows: AsyncGenerator<(string | number | null)[]>;
}

const MEMBER_HEADERS = {
  id: ['ID', 'Nama', 'NIK', 'No. HP', 'Email', 'Jenis Kelamin', 'Tanggal Lahir', 'Kode Kabupaten/Kota', 'Kabupaten/Kota', 'Kode Kecamatan', 'Subsektor', 'Status'],
  en: ['ID', 'Name', 'NIK', 'Phone', 'E-mail', 'Gender', 'Birth date', 'Regency/city code', 'Regency/city', 'District code', 'Subsectors', 'Status'],
};
const COMMUNITY_HEADERS = {
  id: ['ID', 'Nama Komunitas', 'Kode Kabupaten/Kota', 'Kabupaten/Kota', 'Subsektor', 'Status Hukum', 'Status', 'Jumlah Anggota'],
  en: ['ID', 'Community name', 'Regency/city code', 'Regency/city', 'Subsectors', 'Legal status', 'Status', 'Members'],
};

export async function exportMembers(ctx: AppContext, actor: Actor, query: MemberExportQuery, locale: Locale, meta: RequestMeta): Promise<ExportTable> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'registry.read'));
  const search = nameSearch(query.q);
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  const reveal = query.reveal === true;
  if (reveal) {
    if (!hasPermission(actor, 'personal_data.reveal')) throw new AppError('forbidden');
    if (!query.reason || query.reason.trim().length < 5) throw AppError.invalid({ path: 'querystring.reason', code: 'required' });
  }
  const filter = { scope, search: search ?? undefined, ...region, subsector: query.subsector, communityId: query.communityId, status: query.status };

  async function* rows() {
    if (search === null) return;
    let revealed = 0;
    for (let offset = 0; ; offset += PAGE) {
      const { items } = await repo.listMembers(ctx.db, { ...filter, limit: PAGE, offset });
      if (!items.length) break;
      const ids = items.map((i) => i.id);
      const extra = await sql<{ id: string; nik: string | null; email: string | null; birth_date: string | null }>`
        SELECT id, nik, email, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM members WHERE id = ANY(${ids}::bigint[])`.execute(ctx.db);
      const byId = new Map(extra.rows.map((r) => [Number(r.id), r]));
      for (const m of items) {
        const x = byId.get(m.id);
        const clear = reveal && can(actor, 'personal_data.reveal', m.regency_code);
        if (clear) revealed += 1;
        const nik = x?.nik ?? null;
        yield [
          m.id,
          m.full_name,
          clear ? nik : maskNikOrNull(nik),
          clear ? m.phone : maskPhone(m.phone),
          x?.email ?? null,
          m.gender,
          x?.birth_date ?? null,
          m.regency_code,
          m.regency_name,
          m.district_code,
          m.subsectors.join('; '),
          m.status,
        ];
      }
      if (items.length < PAGE) break;
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

export async function exportCommunities(ctx: AppContext, actor: Actor, query: CommunityExportQuery, locale: Locale): Promise<ExportTable> {
  const scope = await scopeCondition(ctx.db, listScope(actor, 'registry.read'));
  const search = nameSearch(query.q);
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  const filter = { scope, search: search ?? undefined, ...region, subsector: query.subsector, status: query.status };
  async function* rows() {
    if (search === null) return;
    for (let offset = 0; ; offset += PAGE) {
      const { items } = await repo.listCommunities(ctx.db, { ...filter, limit: PAGE, offset });
      for (const c of items) yield [c.id, c.name, c.regency_code, c.regency_name, c.subsectors.join('; '), c.legal_status, c.status, c.member_count];
      if (items.length < PAGE) break;
    }
  }
  return { header: COMMUNITY_HEADERS[locale], rows: rows() };
}
