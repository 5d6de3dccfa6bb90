/**
 * A member's rights over their own data (UU PDP): see and correct it (members.service
 * `updateOwnMember`), export it (JSON or CSV, unmasked: it is theirs), and have it deleted.
 *
 * Deletion anonymises rather than removes, so the aggregates stay right:
 * - cleared: name (→ 'Anggota dihapus #<id>'), NIK, phone, e-mail, birth date, skills, portfolio
 *   links, community links (a small community plus a district could point to the person), the link
 *   to the login;
 * - kept: regency, district, subsectors and gender, for statistics; status becomes 'deleted', so
 *   the member leaves the member counts (they are no longer a member) like any other departure;
 * - consents: a withdrawal row (granted = false) is appended for every purpose last granted;
 * - the login, when it holds no role but 'member', is disabled, its name and e-mail replaced and
 *   its sessions ended; an account with other roles (a coordinator) is only unlinked;
 * - the audit entry holds the status change and the reason, never the deleted values.
 * Coordinators delete on a request received offline (POST /api/members/:id/deletion), within their region.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { can, hasPermission, regionFilter, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, type Locale } from '../../platform/errors.ts';
import * as campaigns from './campaigns.repository.ts';
import { audit, iso, maskPhone, searchNameOf, type RequestMeta } from './common.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import { presentMember, updateMemberThroughLink, type OwnMemberPatch, type PublicMember } from './members.service.ts';
import { assertInRegion } from './policy.ts';
import * as repo from './repository.ts';

async function ownMemberId(ctx: AppContext, actor: Actor): Promise<number> {
  const id = await repo.findMemberIdByUser(ctx.db, actor.userId);
  if (id === undefined) throw new AppError('not_found');
  return id;
}

// ---------------------------------------------------------------- export

export interface OwnDataExport {
  exportedAt: string;
  member: {
    id: number;
    fullName: string;
    nik: string | null;
    phone: string | null;
    email: string | null;
    gender: string | null;
    birthDate: string | null;
    regency: { code: string; name: string | null };
    district: { code: string; name: string | null } | null;
    subsectors: string[];
    skills: string[];
    portfolioLinks: string[];
    communities: { id: number; name: string; role: string }[];
    status: string;
    source: string;
    verifiedAt: string | null;
    createdAt: string | null;
    updatedAt: string | null;
  };
  account: { email: string; name: string; createdAt: string | null } | null;
  consents: { purpose: string; version: number; granted: boolean; source: string; recordedAt: string | null }[];
}

export async function exportOwnData(ctx: AppContext, actor: Actor, meta: RequestMeta): Promise<OwnDataExport> {
  const id = await ownMemberId(ctx, actor);
  return ctx.db.transaction().execute(async (tx) => {
    const m = await repo.findMember(tx, id);
    if (!m) throw new AppError('not_found');
    const consents = await tx
      .selectFrom('consents')
      .select(['purpose', 'text_version', 'granted', 'source', 'recorded_at'])
      .where('subject_type', '=', 'member')
      .where('subject_id', '=', id)
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
    const account = await tx.selectFrom('users').select(['email', 'name', 'created_at']).where('id', '=', actor.userId).executeTakeFirst();
    await audit(ctx, tx, actor, meta, { action: 'member.export_own', entityType: 'member', entityId: id });
    return {
      exportedAt: new Date().toISOString(),
      member: {
        id: m.id,
        fullName: m.full_name,
        nik: m.nik,
        phone: m.phone,
        email: m.email,
        gender: m.gender,
        birthDate: m.birth_date,
        regency: { code: m.regency_code, name: m.regency_name },
        district: m.district_code ? { code: m.district_code, name: m.district_name } : null,
        subsectors: m.subsectors,
        skills: m.skills,
        portfolioLinks: m.portfolio_links,
        communities: m.communities.map((c) => ({ id: Number(c.id), name: c.name, role: c.role })),
        status: m.status,
        source: m.source,
        verifiedAt: iso(m.verified_at),
        createdAt: iso(m.created_at),
        updatedAt: iso(m.updated_at),
      },
      account: account ? { email: account.email, name: account.name, createdAt: iso(account.created_at) } : null,
      consents: consents.map((c) => ({ purpose: c.purpose, version: c.text_version, granted: c.granted, source: c.source, recordedAt: iso(c.recorded_at) })),
    };
  });
}

/** A cell a spreadsheet will not run as a formula; phone numbers (+62…) stay as they are. */
function csvCell(value: string): string {
  const safe = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d ]*$/.test(value)) ? `'${value}` : value;
  return /[",\r\n;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The export as two columns, field and value: readable in any spreadsheet, one row per fact. */
export function ownDataCsv(data: OwnDataExport): string {
  const m = data.member;
  const rows: [string, string][] = [
    ['exportedAt', data.exportedAt],
    ['member.id', String(m.id)],
    ['member.fullName', m.fullName],
    ['member.nik', m.nik ?? ''],
    ['member.phone', m.phone ?? ''],
    ['member.email', m.email ?? ''],
    ['member.gender', m.gender ?? ''],
    ['member.birthDate', m.birthDate ?? ''],
    ['member.regency', `${m.regency.code} ${m.regency.name ?? ''}`.trim()],
    ['member.district', m.district ? `${m.district.code} ${m.district.name ?? ''}`.trim() : ''],
    ['member.subsectors', m.subsectors.join('; ')],
    ['member.skills', m.skills.join('; ')],
    ['member.portfolioLinks', m.portfolioLinks.join('; ')],
    ['member.communities', m.communities.map((c) => `${c.name} (${c.role})`).join('; ')],
    ['member.status', m.status],
    ['member.source', m.source],
    ['member.verifiedAt', m.verifiedAt ?? ''],
    ['member.createdAt', m.createdAt ?? ''],
    ['member.updatedAt', m.updatedAt ?? ''],
    ['account.email', data.account?.email ?? ''],
    ['account.name', data.account?.name ?? ''],
    ['account.createdAt', data.account?.createdAt ?? ''],
    ...data.consents.map((c, i): [string, string] => [
      `consents.${i + 1}`,
      `${c.purpose} v${c.version} ${c.granted ? 'granted' : 'withdrawn'} ${c.recordedAt ?? ''} (${c.source})`,
    ]),
  ];
  return `\uFEFFfield,value\r\n${rows.map(([k, v]) => `${csvCell(k)},${csvCell(v)}`).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------- deletion

async function anonymise(ctx: AppContext, tx: Queryable, actor: Actor, id: number, reason: string | null, meta: RequestMeta, source: string): Promise<Date> {
  const m = await tx.selectFrom('members').select(['id', 'status', 'user_id']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!m) throw new AppError('not_found');
  if (m.status === 'deleted') throw new AppError('conflict', { errors: [{ path: 'id', code: 'already_deleted' }] });
  const fullName = `Anggota dihapus #${id}`;
  const row = await tx
    .updateTable('members')
    .set({
      full_name: fullName,
      search_name: searchNameOf(fullName),
      nik: null,
      phone: null,
      email: null,
      birth_date: null,
      skills: [],
      portfolio_links: [],
      status: 'deleted',
      user_id: null,
      decision_note: null,
      anonymised_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .returning('anonymised_at')
    .executeTakeFirstOrThrow();
  await tx.deleteFrom('member_communities').where('member_id', '=', id).execute();

  // Withdraw every purpose whose latest answer is a grant: the history stays, the last word is "no".
  const answers = await tx
    .selectFrom('consents')
    .select(['purpose', 'text_version', 'granted'])
    .where('subject_type', '=', 'member')
    .where('subject_id', '=', id)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  const latest = new Map(answers.map((a) => [a.purpose, a]));
  const withdraw = [...latest.values()].filter((a) => a.granted);
  if (withdraw.length) {
    await tx
      .insertInto('consents')
      .values(withdraw.map((a) => ({ subject_type: 'member' as const, subject_id: id, purpose: a.purpose, text_version: a.text_version, granted: false, source })))
      .execute();
  }

  if (m.user_id !== null) {
    const roles = await tx.selectFrom('role_assignments').select('role').where('user_id', '=', m.user_id).execute();
    if (roles.every((r) => r.role === 'member')) {
      await tx
        .updateTable('users')
        .set({ name: 'Pengguna dihapus', email: `deleted-${m.user_id}@deleted.invalid`, phone: null, status: 'disabled', updated_at: sql`now()` })
        .where('id', '=', m.user_id)
        .execute();
      await tx.deleteFrom('sessions').where('user_id', '=', m.user_id).execute();
    }
  }

  await audit(ctx, tx, actor, meta, {
    action: 'member.delete',
    entityType: 'member',
    entityId: id,
    before: { status: m.status },
    after: { status: 'deleted', anonymised: true, consents_withdrawn: withdraw.map((a) => a.purpose), via: source },
    reason,
  });
  return row.anonymised_at as Date;
}

/** The member asks for their own data to be deleted. */
export async function deleteOwnMember(ctx: AppContext, actor: Actor, input: { reason?: string | null }, meta: RequestMeta) {
  const id = await ownMemberId(ctx, actor);
  const at = await ctx.db.transaction().execute((tx) => anonymise(ctx, tx, actor, id, input.reason ?? null, meta, 'member_request'));
  invalidateRegistryDashboard();
  return { id, status: 'deleted' as const, anonymisedAt: iso(at)! };
}

/** A coordinator of the member's region carries out a deletion request received offline. */
export async function deleteMemberOnRequest(ctx: AppContext, actor: Actor, id: number, input: { reason?: string | null }, meta: RequestMeta) {
  const at = await ctx.db.transaction().execute(async (tx) => {
    const m = await tx.selectFrom('members').select('regency_code').where('id', '=', id).executeTakeFirst();
    if (!m) throw new AppError('not_found');
    assertInRegion(actor, 'registry.manage', m.regency_code);
    return anonymise(ctx, tx, actor, id, input.reason ?? null, meta, 'coordinator_on_request');
  });
  invalidateRegistryDashboard();
  return { id, status: 'deleted' as const, anonymisedAt: iso(at)! };
}

// ---------------------------------------------------------------- update campaigns and personal links
//
// A coordinator asks every active member of a region to check their data. Each member gets a
// personal link that can read and change that member's record only, once, until the campaign
// ends. Only sha256(token) is stored, so a link exists in clear only in the answer of the call that
// issues it: there is no "download the links again" (a GET that re-issued would be worse: a
// prefetch, a retry or a reload would silently kill links already sent). The issue call therefore
// answers with everything a coordinator sends — as JSON, or as a CSV from the same issuing
// (POST …/links.csv) — and issuing again replaces the unused links of members who have not answered
// yet (their earlier links stop working); members who already used their link are skipped.
//
// Campaigns are seen, issued and exported by those who may manage the registry in the campaign's
// whole region (the same rule as starting one): a regency coordinator sees the campaigns of their
// regency, never a neighbour's nor the province's (whose counts cover other regencies).

const MAX_CAMPAIGN_DAYS = 180;
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const DEFAULT_MESSAGE = 'Mohon periksa dan perbarui data keanggotaan Anda di jejaring:';

interface CampaignScope {
  scopeType: 'national' | 'province' | 'regency';
  scopeCode: string;
}

function assertCanRunCampaign(actor: Actor, scope: CampaignScope) {
  const region = scope.scopeType === 'national' ? null : scope.scopeCode;
  if (!can(actor, 'registry.manage', region)) throw new AppError(hasPermission(actor, 'registry.manage') ? 'out_of_scope' : 'forbidden');
}

function activeMembersInScope(db: Queryable, scope: CampaignScope) {
  let q = db.selectFrom('members').select(['id', 'full_name', 'phone', 'regency_code']).where('status', '=', 'active');
  if (scope.scopeType !== 'national') q = q.where((eb) => eb.or([eb('regency_code', '=', scope.scopeCode), eb('regency_code', 'like', `${scope.scopeCode}.%`)]));
  return q.orderBy('id');
}

export interface PublicCampaign {
  id: number;
  scopeType: 'national' | 'province' | 'regency';
  scopeCode: string;
  scopeName: string | null;
  message: string | null;
  startsAt: string;
  endsAt: string;
  active: boolean;
  members: number;
  linksIssued: number;
  linksUsed: number;
  verified: number;
  lastIssuedAt: string | null;
}

function presentCampaign(c: campaigns.CampaignRow): PublicCampaign {
  return {
    id: c.id,
    scopeType: c.scope_type,
    scopeCode: c.scope_code,
    scopeName: c.scope_type === 'national' ? null : c.scope_name,
    message: c.message,
    startsAt: iso(c.starts_at)!,
    endsAt: iso(c.ends_at)!,
    active: new Date(c.ends_at).getTime() > Date.now(),
    members: c.members,
    linksIssued: c.links_issued,
    linksUsed: c.links_used,
    verified: c.verified,
    lastIssuedAt: iso(c.last_issued_at),
  };
}

export async function createUpdateCampaign(
  ctx: AppContext,
  actor: Actor,
  input: { scopeType: 'national' | 'province' | 'regency'; scopeCode: string; endsAt: string; message?: string | null },
  meta: RequestMeta,
): Promise<PublicCampaign> {
  const scope: CampaignScope = { scopeType: input.scopeType, scopeCode: input.scopeType === 'national' ? '' : input.scopeCode };
  const endsAt = new Date(input.endsAt);
  const errors: { path: string; code: 'unknown_region' | 'ends_at_range' | 'not_a_province_code' | 'not_a_regency_code'; params?: Record<string, string> }[] = [];
  if (scope.scopeType !== 'national') {
    const region = (await repo.findRegions(ctx.db, [scope.scopeCode])).get(scope.scopeCode);
    if (!region) errors.push({ path: 'scopeCode', code: 'unknown_region', params: { code: scope.scopeCode } });
    else if (scope.scopeType === 'province' && region.level !== 1) errors.push({ path: 'scopeCode', code: 'not_a_province_code', params: { code: scope.scopeCode } });
    else if (scope.scopeType === 'regency' && region.level !== 2) errors.push({ path: 'scopeCode', code: 'not_a_regency_code', params: { code: scope.scopeCode } });
  }
  if (!(endsAt.getTime() > Date.now() && endsAt.getTime() <= Date.now() + MAX_CAMPAIGN_DAYS * 86_400_000)) errors.push({ path: 'endsAt', code: 'ends_at_range' });
  if (errors.length) throw AppError.invalid(...errors);
  assertCanRunCampaign(actor, scope);

  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('update_campaigns')
      .values({ scope_type: scope.scopeType, scope_code: scope.scopeCode, message: input.message ?? null, started_by: actor.userId, ends_at: endsAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    const members = (await activeMembersInScope(tx, scope).execute()).length;
    await audit(ctx, tx, actor, meta, { action: 'update_campaign.create', entityType: 'update_campaign', entityId: row.id, after: { ...scope, ends_at: endsAt.toISOString(), members } });
    return row.id;
  });
  return presentCampaign((await campaigns.findCampaign(ctx.db, id))!);
}

/** The campaigns the caller may run, newest first, with their progress. */
export async function listUpdateCampaigns(ctx: AppContext, actor: Actor, page: { limit: number; offset: number }) {
  const f = regionFilter(actor, 'registry.manage');
  if (f.kind === 'none') throw new AppError('forbidden');
  const scope: campaigns.CampaignScope = f.kind === 'all' ? { kind: 'all' } : { kind: 'within', codes: f.codes };
  const { items, total } = await campaigns.listCampaigns(ctx.db, scope, page);
  return { items: items.map(presentCampaign), total };
}

export async function getUpdateCampaign(ctx: AppContext, actor: Actor, id: number): Promise<PublicCampaign> {
  const c = await campaigns.findCampaign(ctx.db, id);
  if (!c) throw new AppError('not_found');
  assertCanRunCampaign(actor, { scopeType: c.scope_type, scopeCode: c.scope_code });
  return presentCampaign(c);
}

export interface IssuedLinks {
  campaignId: number;
  expiresAt: string;
  /** Members in scope who already answered through this campaign and got no new link. */
  skipped: number;
  items: { memberId: number; fullName: string; phone: string | null; phoneMasked: boolean; url: string; whatsappUrl: string; expiresAt: string }[];
}

/**
 * Issues a fresh personal link for every active member in the campaign's scope who has not
 * answered yet; shown this once. `baseUrl` makes the links absolute (SIMPUL_PUBLIC_URL, else the
 * request's origin). Phone numbers are in clear only where the caller may reveal them; how many
 * were is written to the audit entry, like an export with reveal, never the numbers.
 */
export async function issueCampaignLinks(ctx: AppContext, actor: Actor, campaignId: number, baseUrl: string, meta: RequestMeta): Promise<IssuedLinks> {
  return ctx.db.transaction().execute(async (tx) => {
    const c = await tx.selectFrom('update_campaigns').selectAll().where('id', '=', campaignId).forUpdate().executeTakeFirst();
    if (!c) throw new AppError('not_found');
    const scope: CampaignScope = { scopeType: c.scope_type, scopeCode: c.scope_code };
    assertCanRunCampaign(actor, scope);
    const endsAt = new Date(c.ends_at);
    if (endsAt.getTime() <= Date.now()) throw new AppError('link_expired');

    await tx.deleteFrom('update_links').where('campaign_id', '=', campaignId).where('used_at', 'is', null).execute();
    const answered = await campaigns.membersWhoAnswered(tx, campaignId);
    const all = await activeMembersInScope(tx, scope).execute();
    const members = all.filter((m) => !answered.has(Number(m.id)));
    const message = c.message ?? DEFAULT_MESSAGE;
    let revealed = 0;
    const items = members.map((m) => {
      const token = crypto.randomBytes(24).toString('base64url');
      const url = `${baseUrl}/perbarui/${token}`;
      const clear = m.phone !== null && can(actor, 'personal_data.reveal', m.regency_code);
      if (clear) revealed += 1;
      // The number in the wa.me link only when the caller may see it; otherwise WhatsApp asks for the chat.
      const waNumber = clear ? m.phone!.replace(/\D/g, '') : '';
      return {
        memberId: Number(m.id),
        fullName: m.full_name,
        phone: clear ? m.phone : maskPhone(m.phone),
        phoneMasked: !clear,
        url,
        token,
        whatsappUrl: `https://wa.me/${waNumber}?text=${encodeURIComponent(`${message} ${url}`)}`,
        expiresAt: endsAt.toISOString(),
      };
    });
    for (let i = 0; i < items.length; i += 1000) {
      await tx
        .insertInto('update_links')
        .values(items.slice(i, i + 1000).map((it) => ({ token_hash: hashToken(it.token), member_id: it.memberId, campaign_id: campaignId, expires_at: endsAt })))
        .execute();
    }
    await audit(ctx, tx, actor, meta, {
      action: 'update_campaign.links_issued',
      entityType: 'update_campaign',
      entityId: campaignId,
      after: { links: items.length, skipped_answered: answered.size, phones_revealed: revealed },
      reason: revealed ? 'update_campaign_contact' : null,
    });
    return { campaignId, expiresAt: endsAt.toISOString(), skipped: all.length - members.length, items: items.map(({ token: _t, ...rest }) => rest) };
  });
}

const LINK_CSV_HEADERS = {
  id: ['ID Anggota', 'Nama', 'No. HP', 'Tautan pembaruan', 'Tautan WhatsApp', 'Berlaku sampai'],
  en: ['Member ID', 'Name', 'Phone', 'Update link', 'WhatsApp link', 'Valid until'],
};

/** A cell a spreadsheet will not run as a formula (=, +, -, @ first); phone numbers (+62…) stay as they are. */
function spreadsheetSafe(value: string): string {
  return /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d ]*$/.test(value)) ? `'${value}` : value;
}

/** Issued links as a CSV (UTF-8 with BOM, so Excel reads the names right). */
export function campaignLinksCsv(issued: IssuedLinks, locale: Locale): string {
  const rows = issued.items.map((i) => [String(i.memberId), i.fullName, i.phone ?? '', i.url, i.whatsappUrl, i.expiresAt].map(spreadsheetSafe));
  return stringifyCsv([LINK_CSV_HEADERS[locale], ...rows], { bom: true, record_delimiter: 'windows' });
}

// ---------------------------------------------------------------- pending approvals

/** Registrations wait at most 3×24 hours for a coordinator's decision. */
export const APPROVAL_DEADLINE_HOURS = 72;

/** The pending members and communities the caller may decide on: counts, overdue, the oldest first. */
export async function pendingApprovals(ctx: AppContext, actor: Actor) {
  const f = regionFilter(actor, 'registry.approve');
  if (f.kind === 'none') throw new AppError('forbidden');
  const scope: campaigns.RegencyScope = f.kind === 'all' ? { kind: 'all' } : { kind: 'some', regencies: await repo.regenciesWithin(ctx.db, f.codes) };
  const deadline = Date.now() - APPROVAL_DEADLINE_HOURS * 3_600_000;
  const present = (q: campaigns.PendingQueue) => ({
    pending: q.pending,
    overdue: q.overdue,
    oldest: q.oldest.map((r) => ({
      id: r.id,
      name: r.name,
      regency: { code: r.regency_code, name: r.regency_name },
      createdAt: iso(r.created_at)!,
      dueAt: new Date(new Date(r.created_at).getTime() + APPROVAL_DEADLINE_HOURS * 3_600_000).toISOString(),
      overdue: new Date(r.created_at).getTime() < deadline,
    })),
  });
  const members = await campaigns.pendingQueue(ctx.db, 'members', scope, APPROVAL_DEADLINE_HOURS, 5);
  const communities = await campaigns.pendingQueue(ctx.db, 'communities', scope, APPROVAL_DEADLINE_HOURS, 5);
  return { deadlineHours: APPROVAL_DEADLINE_HOURS, members: present(members), communities: present(communities) };
}

/** The member a link opens; 404 for a token that never existed, 410 once used or expired. */
async function memberOfLink(db: Queryable, token: string): Promise<number> {
  const link = await db.selectFrom('update_links').select(['member_id', 'expires_at', 'used_at']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!link) throw new AppError('not_found');
  if (link.used_at !== null || new Date(link.expires_at).getTime() <= Date.now()) throw new AppError('link_expired');
  const m = await db.selectFrom('members').select('status').where('id', '=', link.member_id).executeTakeFirst();
  if (!m || (m.status !== 'active' && m.status !== 'pending')) throw new AppError('link_expired');
  return link.member_id;
}

export async function readThroughLink(ctx: AppContext, token: string): Promise<PublicMember> {
  const id = await memberOfLink(ctx.db, token);
  const m = await repo.findMember(ctx.db, id);
  if (!m) throw new AppError('not_found');
  return presentMember(m);
}

/**
 * Applies the member's corrections (or, with an empty body, confirms the data as it is) and uses
 * the link up. The link is claimed first so two submissions cannot both pass; a refused change
 * gives it back.
 */
export async function updateThroughLink(ctx: AppContext, token: string, patch: OwnMemberPatch, meta: RequestMeta) {
  const id = await memberOfLink(ctx.db, token);
  const hash = hashToken(token);
  const claimed = await ctx.db
    .updateTable('update_links')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', hash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('member_id')
    .executeTakeFirst();
  if (!claimed) throw new AppError('link_expired');
  try {
    if (Object.values(patch).some((v) => v !== undefined)) return await updateMemberThroughLink(ctx, id, patch, meta);
    await ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('members').set({ verified_at: sql`now()` }).where('id', '=', id).execute();
      await ctx.audit.record(tx, { actorId: null, actorLabel: 'update-link', requestId: meta.requestId, action: 'member.confirm', entityType: 'member', entityId: id });
    });
    invalidateRegistryDashboard();
    const m = await repo.findMember(ctx.db, id);
    return { member: presentMember(m!), warnings: [] };
  } catch (err) {
    await ctx.db.updateTable('update_links').set({ used_at: null }).where('token_hash', '=', hash).execute();
    throw err;
  }
}
