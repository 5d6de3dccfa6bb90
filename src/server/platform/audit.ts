import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { DB, Queryable } from './db.ts';
import { LOCK_KEYS } from './locks.ts';

/**
 * Append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash and
 * the entry itself (in a canonical JSON form), so changing or removing any row breaks the chain
 * from that row on. Entries are written inside the caller's transaction: no change without its
 * audit entry, no audit entry for a change that rolled back.
 */
export interface AuditEntry {
  actorId: number | null;
  /** Who acted, readable without a join (an e-mail, "system", "cli"). */
  actorLabel: string;
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  requestId?: string | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry whose hash does not match, when the chain is broken. */
  brokenAt?: number;
  problem?: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Fields holding personal data are never stored in clear in the audit log. */
const PERSONAL_FIELDS = new Set(['nik', 'kk', 'phone', 'email', 'address', 'birth_date', 'password', 'password_hash', 'email_token']);
const SECRET_FIELDS = new Set(['password', 'password_hash', 'token', 'token_hash', 'csrf_token']);

export function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (SECRET_FIELDS.has(key)) return '[secret]';
  const s = String(value);
  if (key === 'nik' || key === 'kk') return s.length > 8 ? `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}` : '****';
  if (key === 'phone') return s.length > 6 ? `${s.slice(0, 5)}${'*'.repeat(s.length - 7)}${s.slice(-2)}` : '****';
  if (key === 'email') {
    const at = s.indexOf('@');
    return at > 0 ? `${s[0]}***${s.slice(at)}` : '***';
  }
  return '[masked]';
}

export function maskPersonal(record: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!record) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out[k] = PERSONAL_FIELDS.has(k) || SECRET_FIELDS.has(k) ? maskValue(k, v) : v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** JSON with object keys sorted at every depth: jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

interface HashedFields {
  id: number;
  occurred_at: Date;
  actor_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
}

export function entryHash(prevHash: string, row: HashedFields): string {
  const body = canonicalJson({
    id: row.id,
    occurred_at: new Date(row.occurred_at).toISOString(),
    actor_id: row.actor_id,
    actor_label: row.actor_label,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    before: row.before ?? null,
    after: row.after ?? null,
    reason: row.reason,
    request_id: row.request_id,
  });
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export class AuditLog {
  constructor(private readonly db: DB) {}

  /** Appends an entry. Pass the transaction that makes the change being audited. */
  async record(tx: Queryable, entry: AuditEntry): Promise<{ id: number; hash: string }> {
    // Concurrent writers, in any app process, chain one after another.
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEYS.auditChain})`.execute(tx);
    const last = await tx.selectFrom('audit_log').select(['hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const prevHash = last?.hash ?? GENESIS_HASH;
    const { id } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id`
      .execute(tx)
      .then((r) => r.rows[0]);
    // Millisecond precision: what JavaScript can read back unchanged for verification.
    const occurredAt = new Date();
    const row: HashedFields = {
      id: Number(id),
      occurred_at: occurredAt,
      actor_id: entry.actorId,
      actor_label: entry.actorLabel,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      before: maskPersonal(entry.before),
      after: maskPersonal(entry.after),
      reason: entry.reason ?? null,
      request_id: entry.requestId ?? null,
    };
    const hash = entryHash(prevHash, row);
    await sql`INSERT INTO audit_log
        (id, occurred_at, actor_id, actor_label, action, entity_type, entity_id, before, after, reason, request_id, prev_hash, hash)
      OVERRIDING SYSTEM VALUE VALUES
        (${row.id}, ${occurredAt}, ${row.actor_id}, ${row.actor_label}, ${row.action}, ${row.entity_type}, ${row.entity_id},
         ${row.before === null ? null : JSON.stringify(row.before)}::jsonb, ${row.after === null ? null : JSON.stringify(row.after)}::jsonb,
         ${row.reason}, ${row.request_id}, ${prevHash}, ${hash})`.execute(tx);
    return { id: row.id, hash };
  }

  /** Walks the whole chain in id order, in pages, and reports the first broken link. */
  async verify(onProgress?: (checked: number) => void): Promise<VerifyResult> {
    let prevHash = GENESIS_HASH;
    let lastId = 0;
    let checked = 0;
    const pageSize = 5000;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.prev_hash !== prevHash) {
          return { ok: false, checked, brokenAt: row.id, problem: 'previous hash does not match (an entry was removed or reordered)' };
        }
        const expected = entryHash(prevHash, row as unknown as HashedFields);
        if (expected !== row.hash) {
          return { ok: false, checked, brokenAt: row.id, problem: 'entry content does not match its hash (the entry was altered)' };
        }
        prevHash = row.hash;
        lastId = row.id;
        checked++;
      }
      onProgress?.(checked);
    }
    return { ok: true, checked };
  }
}
