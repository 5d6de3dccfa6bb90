/** SQL of partner API keys (table partner_api_keys, migration 0011). */
import type { Selectable } from 'kysely';
import type { Queryable } from '../../platform/db.ts';
import type { PartnerApiKeysTable } from '../../platform/schema.ts';

export type PartnerKeyRow = Selectable<PartnerApiKeysTable> & { created_by_name: string | null };

const keyQuery = (db: Queryable) =>
  db
    .selectFrom('partner_api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .selectAll('k')
    .select('u.name as created_by_name');

export async function insertKey(
  db: Queryable,
  values: { partnerId: number; label: string; prefix: string; tokenHash: string; scopes: string[]; createdBy: number; expiresAt: Date | null },
): Promise<number> {
  const row = await db
    .insertInto('partner_api_keys')
    .values({
      partner_id: values.partnerId,
      label: values.label,
      prefix: values.prefix,
      token_hash: values.tokenHash,
      scopes: values.scopes,
      created_by: values.createdBy,
      expires_at: values.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Newest first; a partner has a handful of keys, so no paging. */
export function keysOfPartner(db: Queryable, partnerId: number): Promise<PartnerKeyRow[]> {
  return keyQuery(db).where('k.partner_id', '=', partnerId).orderBy('k.id', 'desc').execute();
}

export function findKey(db: Queryable, partnerId: number, keyId: number): Promise<PartnerKeyRow | undefined> {
  return keyQuery(db).where('k.partner_id', '=', partnerId).where('k.id', '=', keyId).executeTakeFirst();
}

/** The key a token hashes to, with its partner's name and region (for the key's actor). */
export function findKeyByHash(db: Queryable, tokenHash: string) {
  return db
    .selectFrom('partner_api_keys as k')
    .innerJoin('partners as p', 'p.id', 'k.partner_id')
    .select(['k.id', 'k.partner_id', 'k.scopes', 'k.expires_at', 'k.revoked_at', 'k.last_used_at', 'p.name as partner_name', 'p.region_code'])
    .where('k.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks a key revoked; a key already revoked keeps its first revocation. */
export async function revokeKey(db: Queryable, keyId: number, by: number): Promise<void> {
  await db.updateTable('partner_api_keys').set({ revoked_at: new Date(), revoked_by: by }).where('id', '=', keyId).where('revoked_at', 'is', null).execute();
}

export async function touchKey(db: Queryable, keyId: number, at: Date): Promise<void> {
  await db.updateTable('partner_api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
}
