/**
 * Overlap without sharing NIKs (issue 4, item 5). A partner that will not send raw identifiers
 * encodes its list with `encodeRecords` of src/lib/linkage/pprl.ts under a secret agreed with the
 * network beforehand, and sends only `serializeEncodings(...)`. The server encodes the people who
 * received the kind of aid in the period (within the partner's agreements, and the caller's scope
 * when staff act for it) with the same secret and options, matches the two sets, and answers
 * overlap counts and matched pairs: the partner's row index and an opaque person reference (an
 * HMAC of our person id under the exchange secret: stable for that key, meaningless without it,
 * never our id).
 *
 * The secret is never stored nor accepted by the API: `partner_pprl_keys` names the environment
 * variable where the server finds it, and keeps its fingerprint so a rotated or wrong secret is
 * noticed. Neither the secret nor the encodings are written to the audit log or the logs.
 */
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import {
  deriveKey,
  deserializeEncodings,
  encodeRecords,
  keyFingerprint,
  matchEncodings,
  type BlockingKey,
  type EncodedRecords,
  type SerializedEncodings,
} from '../../../lib/linkage/index.ts';
import { authorize, type Actor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { audit, FieldErrors, type RequestMeta } from './common.ts';
import * as brepo from './benefits.repository.ts';
import { checkProgrammeKindPeriod } from './benefits.service.ts';
import { partnerOfCall, partnerWithAgreements, sharedScope } from './overlap.service.ts';
import type * as os from './overlap.schemas.ts';

/** The registry side of one exchange holds at most this many benefits. */
const MAX_BENEFITS = 100_000;

/** Registers where the server finds a partner's exchange secret (partners.manage in the partner's region). */
export async function registerPprlKey(ctx: AppContext, actor: Actor, input: z.infer<typeof os.PprlKeyInput>, meta: RequestMeta): Promise<z.infer<typeof os.PprlKey>> {
  const partner = await brepo.findPartner(ctx.db, input.partnerId);
  if (!partner) throw AppError.invalid({ path: 'partnerId', code: 'unknown_partner', params: { id: input.partnerId } });
  authorize(actor, 'partners.manage', partner.region_code);
  const secret = process.env[input.keyRef];
  if (!secret) throw AppError.invalid({ path: 'keyRef', code: 'pprl_key_ref_unset', params: { keyRef: input.keyRef } });
  const fingerprint = keyFingerprint(secret);
  await ctx.db.transaction().execute(async (tx) => {
    await brepo.upsertPprlKey(tx, { partnerId: partner.id, keyRef: input.keyRef, fingerprint, by: actor.userId });
    await audit(ctx, tx, actor, meta, { action: 'pprl_key.register', entityType: 'partner', entityId: partner.id, after: { keyRef: input.keyRef, keyFingerprint: fingerprint } });
  });
  return { partnerId: partner.id, keyRef: input.keyRef, keyFingerprint: fingerprint };
}

async function exchangeSecret(ctx: AppContext, partnerId: number): Promise<{ secret: string; fingerprint: string }> {
  const row = await brepo.findPprlKey(ctx.db, partnerId);
  const secret = row ? process.env[row.key_ref] : undefined;
  // A secret that changed since it was registered is as good as missing: re-register it knowingly.
  if (!row || !secret || keyFingerprint(secret) !== row.key_fingerprint) throw new AppError('pprl_key_missing');
  return { secret, fingerprint: row.key_fingerprint };
}

function readEncodings(data: z.infer<typeof os.PprlExchangeInput>['encodings']): EncodedRecords {
  try {
    const enc = deserializeEncodings(data as unknown as SerializedEncodings);
    if (enc.nik.length !== enc.count) throw new Error('nik codes and count differ');
    for (const [k, v] of Object.entries(enc.blocks)) if (v && v.length !== enc.count) throw new Error(`blocking key ${k} and count differ`);
    return enc;
  } catch (err) {
    throw AppError.invalid({ path: 'encodings', code: 'pprl_encodings_invalid', params: { reason: (err as Error).message } });
  }
}

export async function pprlExchange(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof os.PprlExchangeInput>,
  meta: RequestMeta,
): Promise<z.infer<typeof os.PprlExchangeResult>> {
  const partnerId = partnerOfCall(actor, input.partnerId, 'pprl.exchange');
  const errors = new FieldErrors();
  await checkProgrammeKindPeriod(ctx.db, errors, { aidKind: input.aidKind, period: input.period });
  errors.throwIfAny();
  const { agreements } = await partnerWithAgreements(ctx.db, partnerId);
  const { secret, fingerprint } = await exchangeSecret(ctx, partnerId);
  if (input.encodings.keyId !== fingerprint) throw new AppError('pprl_key_mismatch', undefined, { keyId: fingerprint });
  const theirs = readEncodings(input.encodings);

  const scope = await sharedScope(ctx.db, actor, agreements);
  const benefits = await brepo.overlappingBenefits(ctx.db, { aidKind: input.aidKind, periodStart: input.period.start, periodEnd: input.period.end, scope }, MAX_BENEFITS);
  const personIds = [...new Set(benefits.map((b) => b.current_person_id))];
  // Every record of those persons in scope: each spelling a programme registered is a chance to match.
  const records = await brepo.recordsOfPersons(ctx.db, personIds, scope);
  const nikHex = theirs.nik.some((n) => n !== null && /^[0-9a-f]{64}$/.test(n));
  const mine = encodeRecords(
    secret,
    records.map((r) => ({ nik: r.nik, name: r.full_name, birthDate: r.birth_date })),
    {
      mode: theirs.mode,
      bits: theirs.bits,
      q: theirs.q,
      hashing: theirs.hashing,
      hashes: theirs.hashes,
      blockingKeys: Object.keys(theirs.blocks) as BlockingKey[],
      nikEncoding: nikHex ? 'hex' : 'base64url',
    },
  );
  let matched;
  try {
    matched = matchEncodings(mine, theirs);
  } catch (err) {
    throw AppError.invalid({ path: 'encodings', code: 'pprl_encodings_invalid', params: { reason: (err as Error).message } });
  }

  const refKey = deriveKey(secret, 'simpul-person-ref');
  const personRef = (personId: number) => createHmac('sha256', refKey).update(String(personId)).digest('base64url').slice(0, 22);
  const best = new Map<string, z.infer<typeof os.PprlExchangeResult>['pairs'][number]>();
  for (const p of matched.pairs) {
    const ref = personRef(records[p.mine].person_id);
    const key = `${p.theirs}/${ref}`;
    const prev = best.get(key);
    if (!prev || p.score > prev.score) best.set(key, { row: p.theirs, personRef: ref, score: Math.round(p.score * 1000) / 1000, nik: p.nik });
  }
  const pairs = [...best.values()].sort((a, b) => a.row - b.row || b.score - a.score);
  const result = {
    partnerId,
    keyFingerprint: fingerprint,
    theirRows: theirs.count,
    registryPersons: personIds.length,
    overlap: new Set(pairs.map((p) => p.row)).size,
    matchedPersons: new Set(pairs.map((p) => p.personRef)).size,
    pairs,
  };
  await ctx.db.transaction().execute((tx) =>
    audit(ctx, tx, actor, meta, {
      action: 'benefits.pprl_exchange',
      entityType: 'partner',
      entityId: partnerId,
      after: {
        aidKind: input.aidKind,
        period: input.period,
        keyFingerprint: fingerprint,
        theirRows: result.theirRows,
        registryPersons: result.registryPersons,
        overlap: result.overlap,
        matchedPersons: result.matchedPersons,
      },
    }),
  );
  return result;
}
