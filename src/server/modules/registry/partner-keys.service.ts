/**
 * Partner API keys (SPEC "Open API": partners use the API with keys and scopes). A key belongs to
 * one partner, says what it may be used for (scopes), and may expire; it is kept by those who may
 * edit the partner (partners.manage over the partner's region). The token is answered once, when
 * the key is issued; only its SHA-256 is stored (see migration 0011 for why that is enough).
 *
 * A key's actor holds no grants: every permission check refuses it, and platform/http.ts lets it
 * reach only the routes that name one of its scopes. What it learns there is bounded by the
 * partner's valid agreements (beneficiaries/overlap.service.ts).
 */
import crypto from 'node:crypto';
import type { z } from 'zod';
import { PARTNER_KEY_SCOPES, type Actor, type PartnerKeyScope } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { PartnerKeyResolution } from '../../platform/http.ts';
import { takeRateLimitSlot, type RateLimit } from '../../platform/rate-limit.ts';
import { audit, iso, type RequestMeta } from './common.ts';
import { assertCanManagePartner } from './policy.ts';
import * as repo from './repository.ts';
import * as keys from './partner-keys.repository.ts';
import type * as ks from './partner-keys.schemas.ts';

type PublicKey = z.infer<typeof ks.PartnerKey>;

/** Recognisable in logs, secret scanners and support requests ("smp_pk_…"), like Stripe's sk_live_. */
export const TOKEN_PREFIX = 'smp_pk_';
/** 32 random bytes: 256 bits, base64url. */
const TOKEN_PATTERN = /^smp_pk_[A-Za-z0-9_-]{43}$/;
/** Enough of the token to tell keys apart in a list (8 random characters), far too little to guess the rest. */
const VISIBLE_LENGTH = TOKEN_PREFIX.length + 8;
/** last_used_at is a hint for people, not a log: one write a minute per key keeps busy keys cheap. */
export const TOUCH_INTERVAL_MS = 60_000;
/**
 * Calls per key and minute, counted across processes. A call checks up to 2,000 people; a leaked
 * key must not become a way to test the whole population against the ledger, and one partner's
 * batch job must not take the server from everyone else.
 */
export const PARTNER_KEY_LIMITS: RateLimit = { limit: 60, windowSeconds: 60 };

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function statusOf(k: Pick<keys.PartnerKeyRow, 'revoked_at' | 'expires_at'>, now = Date.now()): PublicKey['status'] {
  if (k.revoked_at) return 'revoked';
  if (k.expires_at && new Date(k.expires_at).getTime() <= now) return 'expired';
  return 'active';
}

const knownScopes = (scopes: string[]) => scopes.filter((s): s is PartnerKeyScope => (PARTNER_KEY_SCOPES as readonly string[]).includes(s));

function present(k: keys.PartnerKeyRow): PublicKey {
  return {
    id: k.id,
    partnerId: k.partner_id,
    label: k.label,
    prefix: k.prefix,
    scopes: knownScopes(k.scopes),
    status: statusOf(k),
    createdBy: k.created_by === null ? null : { id: k.created_by, name: k.created_by_name ?? '' },
    createdAt: iso(k.created_at)!,
    expiresAt: iso(k.expires_at),
    revokedAt: iso(k.revoked_at),
    lastUsedAt: iso(k.last_used_at),
  };
}

/** The partner, if the actor may keep its keys (the same rule as editing the partner). */
async function managedPartner(ctx: AppContext, actor: Actor, partnerId: number) {
  const partner = await repo.findPartner(ctx.db, partnerId);
  if (!partner) throw new AppError('not_found');
  assertCanManagePartner(actor, partner.region_code);
  return partner;
}

export async function listPartnerKeys(ctx: AppContext, actor: Actor, partnerId: number): Promise<z.infer<typeof ks.PartnerKeyList>> {
  await managedPartner(ctx, actor, partnerId);
  return { items: (await keys.keysOfPartner(ctx.db, partnerId)).map(present) };
}

export async function issuePartnerKey(
  ctx: AppContext,
  actor: Actor,
  partnerId: number,
  input: z.infer<typeof ks.NewPartnerKeyInput>,
  meta: RequestMeta,
): Promise<z.infer<typeof ks.IssuedPartnerKey>> {
  await managedPartner(ctx, actor, partnerId);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw AppError.invalid({ path: 'expiresAt', code: 'partner_key_expiry_past' });
  const scopes = [...new Set(input.scopes)];
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const prefix = token.slice(0, VISIBLE_LENGTH);
  const keyId = await ctx.db.transaction().execute(async (tx) => {
    const id = await keys.insertKey(tx, { partnerId, label: input.label, prefix, tokenHash: hashToken(token), scopes, createdBy: actor.userId, expiresAt });
    // The token never reaches the log; the prefix is what people will quote back.
    await audit(ctx, tx, actor, meta, {
      action: 'partner.key.issue',
      entityType: 'partner',
      entityId: partnerId,
      after: { key_id: id, label: input.label, prefix, scopes, expires_at: iso(expiresAt) },
    });
    return id;
  });
  return { key: present((await keys.findKey(ctx.db, partnerId, keyId))!), token };
}

export async function revokePartnerKey(ctx: AppContext, actor: Actor, partnerId: number, keyId: number, meta: RequestMeta): Promise<PublicKey> {
  await managedPartner(ctx, actor, partnerId);
  await ctx.db.transaction().execute(async (tx) => {
    const before = await keys.findKey(tx, partnerId, keyId);
    if (!before) throw new AppError('not_found');
    // Revoking twice changes nothing and is not logged twice.
    if (before.revoked_at) return;
    await keys.revokeKey(tx, keyId, actor.userId);
    await audit(ctx, tx, actor, meta, {
      action: 'partner.key.revoke',
      entityType: 'partner',
      entityId: partnerId,
      before: { key_id: keyId, label: before.label, prefix: before.prefix, scopes: before.scopes },
    });
  });
  return present((await keys.findKey(ctx.db, partnerId, keyId))!);
}

/** Turns a bearer token into the key's actor, or says why it cannot act (platform/http.ts answers 401). */
export async function resolvePartnerKey(ctx: AppContext, token: string): Promise<PartnerKeyResolution> {
  // Not shaped like one of our tokens: no need to ask the database.
  if (!TOKEN_PATTERN.test(token)) return { ok: false, code: 'partner_key_invalid' };
  const row = await keys.findKeyByHash(ctx.db, hashToken(token));
  if (!row) return { ok: false, code: 'partner_key_invalid' };
  const status = statusOf(row);
  if (status === 'revoked') return { ok: false, code: 'partner_key_revoked' };
  if (status === 'expired') return { ok: false, code: 'partner_key_expired' };
  if (!(await takeRateLimitSlot(ctx.db, `partner_key:${row.id}`, PARTNER_KEY_LIMITS))) {
    return { ok: false, code: 'rate_limited', retryAfterSeconds: PARTNER_KEY_LIMITS.windowSeconds };
  }
  const now = new Date();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= TOUCH_INTERVAL_MS) await keys.touchKey(ctx.db, row.id, now);
  return {
    ok: true,
    actor: {
      userId: 0,
      name: row.partner_name,
      email: '',
      locale: 'id',
      regionCode: row.region_code,
      grants: [],
      partnerKey: { keyId: row.id, partnerId: row.partner_id, scopes: knownScopes(row.scopes) },
    },
  };
}
