/**
 * Public self-registration of members and communities (UU PDP: consent per purpose, with the
 * version of the text shown and the time). Registrations arrive 'pending' and count on the
 * dashboard only once a coordinator of the region approves them (POST …/decision).
 *
 * - No session: the actor is null and the audit log names the actor 'self-registration'.
 * - The required purposes (consent_texts.required) must be granted with the current version.
 * - Anti-spam: at most REGISTRATION_LIMITS.limit registrations per client address per window,
 *   counted in login_attempts under the key 'registration:<ip>' so every process shares the count.
 * - An optional password (with an e-mail) creates a login with the role 'member' in the member's
 *   regency, linked through members.user_id, in the same transaction.
 * - An e-mail that already has a login is not an error: answering "e-mail taken" would tell anyone
 *   which addresses have an account here (an address list of the network's members, for phishing).
 *   The registration is accepted with the same answer and stored pending without a login, and the
 *   audit log notes the existing account, so the coordinator who reviews it links or merges it (the
 *   owner of that address already has a login and can use it). The password given is discarded.
 * - A NIK already registered to a member is not an error either, for the same reason (it would tell
 *   anyone whether a person is in the network): the registration is kept without its NIK and the
 *   audit log names the member who holds it (members.service.ts insertMemberChecked).
 */
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db.ts';
import { AppError, type Locale } from '../../platform/errors.ts';
import { takeRateLimitSlot, type RateLimit } from '../../platform/rate-limit.ts';
import { hashPassword } from '../identity/password.ts';
import * as identityRepo from '../identity/repository.ts';
import { FieldErrors, type RequestMeta, type Warning } from './common.ts';
import { invalidateRegistryDashboard } from './dashboard.service.ts';
import { insertMemberChecked, type MemberInput } from './members.service.ts';
import { insertCommunityChecked, type CommunityInput } from './communities.service.ts';

export const REGISTRATION_LIMITS: RateLimit = { limit: 20, windowSeconds: 60 * 60 };

export interface ConsentAnswer {
  purpose: string;
  version: number;
  granted: boolean;
}

export interface PublicRequestMeta extends RequestMeta {
  ip?: string;
}

interface ConsentText {
  purpose: string;
  version: number;
  required: boolean;
  text_id: string;
  text_en: string;
}

/** The current (highest) version of every consent purpose. */
export async function currentConsentTexts(db: Queryable): Promise<ConsentText[]> {
  const rows = await db
    .selectFrom('consent_texts')
    .select(['purpose', 'version', 'required', 'text_id', 'text_en'])
    .orderBy('purpose')
    .orderBy('version', 'desc')
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.purpose) ? false : (seen.add(r.purpose), true)));
}

export async function listConsentTexts(ctx: AppContext, locale: Locale) {
  const texts = await currentConsentTexts(ctx.db);
  return {
    items: texts
      .sort((a, b) => Number(b.required) - Number(a.required) || a.purpose.localeCompare(b.purpose))
      .map((t) => ({ purpose: t.purpose, version: t.version, required: t.required, text: locale === 'en' ? t.text_en : t.text_id })),
  };
}

/** Every answer names a known purpose in its current version; every required purpose is granted. */
async function checkConsents(db: Queryable, errors: FieldErrors, answers: ConsentAnswer[]): Promise<ConsentAnswer[]> {
  const current = new Map((await currentConsentTexts(db)).map((t) => [t.purpose, t]));
  const byPurpose = new Map<string, ConsentAnswer>();
  answers.forEach((a, i) => {
    const text = current.get(a.purpose);
    if (!text) errors.add(`consents.${i}.purpose`, 'unknown_consent_purpose', { purpose: a.purpose });
    else if (a.version !== text.version) errors.add(`consents.${i}.version`, 'consent_version_outdated', { purpose: a.purpose, current: text.version });
    else byPurpose.set(a.purpose, a);
  });
  for (const t of current.values()) {
    if (!t.required) continue;
    const given = answers.find((a) => a.purpose === t.purpose);
    if (!given || (given.version === t.version && !given.granted)) errors.add('consents', 'consent_required', { purpose: t.purpose });
  }
  return [...byPurpose.values()];
}

async function storeConsents(tx: Queryable, subjectType: 'member' | 'community', subjectId: number, answers: ConsentAnswer[]) {
  if (!answers.length) return;
  await tx
    .insertInto('consents')
    .values(answers.map((a) => ({ subject_type: subjectType, subject_id: subjectId, purpose: a.purpose, text_version: a.version, granted: a.granted, source: 'self_registration' })))
    .execute();
}

/**
 * Counts this address's registrations in the window and records this one; refuses over the limit.
 * Committed on its own, so failed attempts count too (a spammer's invalid posts are spam as well).
 */
async function reserveRegistration(ctx: AppContext, ip: string | undefined) {
  if (!(await takeRateLimitSlot(ctx.db, `registration:${ip ?? 'unknown'}`, REGISTRATION_LIMITS))) throw new AppError('rate_limited');
}

export type MemberRegistration = Omit<MemberInput, 'communities'> & { consents: ConsentAnswer[]; password?: string };

export async function registerMember(
  ctx: AppContext,
  input: MemberRegistration,
  meta: PublicRequestMeta,
): Promise<{ reference: string; status: 'pending'; memberId: number; warnings: Warning[] }> {
  await reserveRegistration(ctx, meta.ip);
  const warnings: Warning[] = [];
  // Hash outside the transaction: it is slow on purpose.
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const memberId = await ctx.db.transaction().execute(async (tx) => {
    const errors = new FieldErrors();
    const consents = await checkConsents(tx, errors, input.consents);
    if (passwordHash && !input.email) errors.add('email', 'email_required_for_login');
    errors.throwIfAny();

    let userId: number | null = null;
    let existingAccount: number | undefined;
    if (passwordHash && input.email) {
      existingAccount = (await identityRepo.findCredentialsByEmail(tx, input.email))?.id;
      if (existingAccount === undefined) {
        userId = await identityRepo.insertUser(tx, { email: input.email, name: input.fullName, phone: null, regionCode: input.regencyCode, passwordHash });
        await identityRepo.insertGrant(tx, userId, { role: 'member', scopeType: 'regency', scopeCode: input.regencyCode }, null);
      }
    }
    const { consents: _c, password: _p, ...fields } = input;
    const id = await insertMemberChecked(ctx, tx, null, { ...fields, communities: [] }, meta, { status: 'pending', source: 'self_registration', userId }, warnings);
    await storeConsents(tx, 'member', id, consents);
    if (existingAccount !== undefined) {
      await ctx.audit.record(tx, {
        actorId: null,
        actorLabel: 'self-registration',
        requestId: meta.requestId,
        action: 'member.registration_account_exists',
        entityType: 'member',
        entityId: id,
        after: { existing_user_id: existingAccount },
        reason: 'e-mail already has a login: none created; the reviewing coordinator links or merges',
      });
    }
    return id;
  });
  invalidateRegistryDashboard();
  return { reference: `M-${memberId}`, status: 'pending', memberId, warnings };
}

export type CommunityRegistration = CommunityInput & { consents: ConsentAnswer[] };

export async function registerCommunity(
  ctx: AppContext,
  input: CommunityRegistration,
  meta: PublicRequestMeta,
): Promise<{ reference: string; status: 'pending'; communityId: number }> {
  await reserveRegistration(ctx, meta.ip);
  const communityId = await ctx.db.transaction().execute(async (tx) => {
    const errors = new FieldErrors();
    const consents = await checkConsents(tx, errors, input.consents);
    const { id, subsectors } = await insertCommunityChecked(tx, input, { status: 'pending', errors });
    await storeConsents(tx, 'community', id, consents);
    await ctx.audit.record(tx, {
      actorId: null,
      actorLabel: 'self-registration',
      requestId: meta.requestId,
      action: 'community.create',
      entityType: 'community',
      entityId: id,
      after: { name: input.name, regency_code: input.regencyCode, district_code: input.districtCode ?? null, subsectors, status: 'pending', source: 'self_registration' },
    });
    return id;
  });
  invalidateRegistryDashboard();
  return { reference: `C-${communityId}`, status: 'pending', communityId };
}
