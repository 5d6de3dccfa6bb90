import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../../../test/system.ts';
import { AuditLog, canonicalJson, maskPersonal } from './audit.ts';
import type { Engine } from './db.ts';

let engine: Engine & { dispose(): Promise<void> };
let audit: AuditLog;
beforeAll(async () => {
  engine = await createTestEngine();
  audit = new AuditLog(engine.db);
});
afterAll(async () => {
  await engine?.dispose();
});

const entry = (i: number) => ({
  actorId: null,
  actorLabel: 'test',
  action: 'user.update',
  entityType: 'user',
  entityId: i,
  before: { name: `Lama ${i}`, nik: '3273011201900001', nested: { b: 1, a: [1, 2] } },
  after: { name: `Baru ${i}`, nik: '3273011201900001', phone: '+6281234567890' },
  reason: 'koreksi data',
  requestId: `req-${i}`,
});

describe('audit log', () => {
  it('masks personal fields and secrets', () => {
    expect(maskPersonal({ nik: '3273011201900001', phone: '+6281234567890', email: 'budi@contoh.id', password_hash: 'x', name: 'Budi' })).toEqual({
      nik: '3273********0001',
      phone: '+6281*******90',
      email: 'b***@contoh.id',
      password_hash: '[secret]',
      name: 'Budi',
    });
  });

  it('hashes canonical JSON regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('chains entries and verifies the chain', async () => {
    for (let i = 0; i < 5; i++) await engine.db.transaction().execute((tx) => audit.record(tx, entry(i)));
    const rows = await engine.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(5);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(JSON.stringify(rows[0].before)).not.toContain('3273011201900001');
    expect(await audit.verify()).toEqual({ ok: true, checked: 5 });
  });

  it('keeps concurrent writers on one chain', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => engine.db.transaction().execute((tx) => audit.record(tx, entry(100 + i)))));
    expect((await audit.verify()).ok).toBe(true);
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const before = (await audit.verify()).checked;
    await expect(
      engine.db.transaction().execute(async (tx) => {
        await audit.record(tx, entry(999));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await audit.verify()).checked).toBe(before);
  });

  it('refuses updates and deletes', async () => {
    await expect(sql`UPDATE audit_log SET reason = 'x'`.execute(engine.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(engine.db)).rejects.toThrow(/append-only/);
  });

  it('detects an altered row when the trigger is bypassed', async () => {
    const target = await engine.db.selectFrom('audit_log').select('id').orderBy('id').offset(2).limit(1).executeTakeFirstOrThrow();
    // Someone with table-owner rights disables the guard and edits history.
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(engine.db);
    await sql`UPDATE audit_log SET reason = 'tidak ada apa-apa' WHERE id = ${target.id}`.execute(engine.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(engine.db);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(target.id);
  });

  it('detects a removed row', async () => {
    const e2 = await createTestEngine();
    try {
      const log = new AuditLog(e2.db);
      for (let i = 0; i < 4; i++) await e2.db.transaction().execute((tx) => log.record(tx, entry(i)));
      const victim = await e2.db.selectFrom('audit_log').select('id').orderBy('id').offset(1).limit(1).executeTakeFirstOrThrow();
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(e2.db);
      await sql`DELETE FROM audit_log WHERE id = ${victim.id}`.execute(e2.db);
      const result = await log.verify();
      expect(result.ok).toBe(false);
      expect(result.problem).toMatch(/removed/);
    } finally {
      await e2.dispose();
    }
  });
});
