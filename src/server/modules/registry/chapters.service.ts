/**
 * Chapters: one per regency/city that has joined the network. Which regencies have a chapter is
 * public (the coverage map, the registration page); a chapter's contacts are for those who work in
 * its regency. Its coordinators are role grants (regional_coordinator in the regency), managed by
 * the identity module.
 */
import type { z } from 'zod';
import type { Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';
import { audit, FieldErrors, iso, phoneOf, regionQueryFilter, type RequestMeta } from './common.ts';
import { assertInRegion, canSeeChapterContacts } from './policy.ts';
import * as identityRepo from '../identity/repository.ts';
import * as repo from './repository.ts';
import type * as s from './schemas.ts';

export type PublicChapter = z.infer<typeof s.Chapter>;

type Coordinators = Map<string, { id: number; name: string }[]>;

export function presentChapter(c: repo.ChapterRow, actor: Actor | null, coordinators: Coordinators): PublicChapter {
  const contacts = canSeeChapterContacts(actor, c.regency_code);
  return {
    id: c.id,
    name: c.name,
    regency: { code: c.regency_code, name: c.regency_name },
    provinceCode: c.regency_code.slice(0, 2),
    status: c.status,
    joinedOn: c.joined_on,
    contactEmail: contacts ? c.contact_email : null,
    contactPhone: contacts ? c.contact_phone : null,
    // Who to call is a contact too: only for those who work in the regency.
    coordinators: contacts ? (coordinators.get(c.regency_code) ?? []) : [],
    createdAt: iso(c.created_at)!,
  };
}

/** Chapters as the API shows them, with their coordinators read in one query. */
async function present(db: Queryable, chapters: repo.ChapterRow[], actor: Actor | null): Promise<PublicChapter[]> {
  const visible = chapters.filter((c) => canSeeChapterContacts(actor, c.regency_code)).map((c) => c.regency_code);
  const coordinators = await identityRepo.regencyCoordinators(db, visible);
  return chapters.map((c) => presentChapter(c, actor, coordinators));
}

function auditSnapshot(c: repo.ChapterRow) {
  return { regency_code: c.regency_code, name: c.name, status: c.status, joined_on: c.joined_on, email: c.contact_email, phone: c.contact_phone };
}

async function loadChapter(db: Queryable, id: number) {
  const c = await repo.findChapter(db, id);
  if (!c) throw new AppError('not_found');
  return c;
}

export async function getChapter(ctx: AppContext, actor: Actor | null, id: number): Promise<PublicChapter> {
  return (await present(ctx.db, [await loadChapter(ctx.db, id)], actor))[0]!;
}

export async function listChapters(
  ctx: AppContext,
  actor: Actor | null,
  query: { regionCode?: string; status?: 'active' | 'inactive'; limit: number; offset: number },
): Promise<{ items: PublicChapter[]; total: number }> {
  const region = await regionQueryFilter(ctx.db, query.regionCode);
  if (region.districtCode) throw AppError.invalid({ path: 'querystring.regionCode', code: 'province_or_regency_required', params: { code: query.regionCode! } });
  const { items, total } = await repo.listChapters(ctx.db, { regencies: region.regencies, status: query.status, limit: query.limit, offset: query.offset });
  return { items: await present(ctx.db, items, actor), total };
}

export interface ChapterInput {
  regencyCode: string;
  name?: string;
  joinedOn?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
}

export async function createChapter(ctx: AppContext, actor: Actor, input: ChapterInput, meta: RequestMeta): Promise<PublicChapter> {
  assertInRegion(actor, 'registry.manage', input.regencyCode);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const errors = new FieldErrors();
    const regency = (await repo.findRegions(tx, [input.regencyCode])).get(input.regencyCode);
    if (!regency) errors.add('regencyCode', 'unknown_region', { code: input.regencyCode });
    else if (regency.level !== 2) errors.add('regencyCode', 'regency_required', { code: input.regencyCode });
    const contactPhone = phoneOf(errors, 'contactPhone', input.contactPhone) ?? null;
    errors.throwIfAny();
    if ((await repo.findChapterIdByRegency(tx, input.regencyCode)) !== undefined) throw chapterExists(input.regencyCode);
    let chapterId: number;
    try {
      chapterId = await repo.insertChapter(tx, {
        regency_code: input.regencyCode,
        name: input.name ?? `ICCN ${regency!.name}`,
        status: 'active',
        joined_on: input.joinedOn ?? new Date().toISOString().slice(0, 10),
        contact_email: input.contactEmail ?? null,
        contact_phone: contactPhone,
      });
    } catch (err) {
      if (repo.isUniqueViolation(err)) throw chapterExists(input.regencyCode);
      throw err;
    }
    await audit(ctx, tx, actor, meta, { action: 'chapter.create', entityType: 'chapter', entityId: chapterId, after: auditSnapshot(await loadChapter(tx, chapterId)) });
    return chapterId;
  });
  return getChapter(ctx, actor, id);
}

function chapterExists(code: string) {
  return new AppError('conflict', { errors: [{ path: 'regencyCode', code: 'chapter_exists', params: { code } }] });
}

export interface ChapterPatch {
  name?: string;
  status?: 'active' | 'inactive';
  joinedOn?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
}

export async function updateChapter(ctx: AppContext, actor: Actor, id: number, patch: ChapterPatch, meta: RequestMeta): Promise<PublicChapter> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await loadChapter(tx, id);
    assertInRegion(actor, 'registry.manage', before.regency_code);
    const errors = new FieldErrors();
    const contactPhone = phoneOf(errors, 'contactPhone', patch.contactPhone);
    errors.throwIfAny();
    await repo.updateChapter(tx, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.joinedOn !== undefined && { joined_on: patch.joinedOn }),
      ...(patch.contactEmail !== undefined && { contact_email: patch.contactEmail }),
      ...(contactPhone !== undefined && { contact_phone: contactPhone }),
    });
    await audit(ctx, tx, actor, meta, {
      action: 'chapter.update',
      entityType: 'chapter',
      entityId: id,
      before: auditSnapshot(before),
      after: auditSnapshot(await loadChapter(tx, id)),
    });
  });
  return getChapter(ctx, actor, id);
}
