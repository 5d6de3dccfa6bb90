import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../../../../test/system.ts';
import { grants, login, makeUser, type Client } from '../../../../test/factories.ts';

let sys: TestSystem;
let coordinator: Client;
let secondCoordinator: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  coordinator = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.73')] }));
  secondCoordinator = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.provinceCoordinator('32')] }));
});
afterAll(async () => {
  await sys?.close();
});

const beneficiary = (fullName: string, nik: string, birthDate: string, sex: 'L' | 'P', over: Record<string, unknown> = {}) => ({
  source: { kind: 'programme', ref: 'DAMPING-2026' },
  fullName,
  nik,
  birthDate,
  sex,
  regencyCode: '32.73',
  consent: { purpose: 'programmes', version: 1, given: true },
  ...over,
});

async function register(body: Record<string, unknown>) {
  const res = await coordinator.request('POST', '/api/beneficiaries', body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { personId: number; outcome: string; record: { id: number } };
}

/** Two records of (probably) one person with different NIKs: a pair in the review queue. */
async function queuedPair(fullName: string, nikA: string, nikB: string, birthDate: string, sex: 'L' | 'P') {
  const a = await register(beneficiary(fullName, nikA, birthDate, sex));
  const b = await register(beneficiary(fullName, nikB, birthDate, sex));
  expect(b.outcome).toBe('queued');
  const list = await coordinator.request('GET', '/api/beneficiaries/duplicates?status=pending&limit=200');
  const candidate = list.json().items.find((c: { recordA: { id: number }; recordB: { id: number } }) => c.recordA.id === a.record.id && c.recordB.id === b.record.id);
  expect(candidate).toBeDefined();
  return { a, b, candidate };
}

const auditCount = async (action: string, entityId: number) =>
  (await sys.ctx.db.selectFrom('audit_log').select('id').where('action', '=', action).where('entity_id', '=', String(entityId)).execute()).length;

describe('the review queue', () => {
  it('shows both records side by side, masked, with each field’s contribution to the score', async () => {
    const { candidate } = await queuedPair('Siti Rahmawati', '3273015205900002', '3273025205900123', '1990-05-12', 'P');
    expect(candidate.recordA).toMatchObject({ fullName: 'Siti Rahmawati', nik: '3273********0002' });
    expect(candidate.recordB).toMatchObject({ fullName: 'Siti Rahmawati', nik: '3273********0123' });
    const byField = Object.fromEntries(candidate.contributions.map((c: { field: string; label: string; weight: number }) => [c.field, c]));
    expect(byField.name.label).toBe('exact');
    expect(byField.birth_date.label).toBe('exact');
    expect(byField.nik.label).toBe('else');
    expect(byField.nik.weight).toBeLessThan(0);
    expect(byField.name.m).toEqual(expect.any(Number));
    const sum = candidate.priorWeight + candidate.contributions.reduce((s: number, c: { weight: number }) => s + c.weight, 0);
    expect(sum).toBeCloseTo(candidate.score, 6);
    expect(candidate.probability).toBeGreaterThan(0.5);
    expect(candidate.samePerson).toBe(false);
  });
});

describe('merge and undo', () => {
  it('a merge moves the records to the older person, the merged id still resolves, and undo splits them back', async () => {
    const { a, b, candidate } = await queuedPair('Joko Susilo', '3273011708500001', '3273011708500777', '1950-08-17', 'L');
    const merged = await coordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'merge', note: 'KTP dicek' });
    expect(merged.statusCode, merged.body).toBe(200);
    const { merge } = merged.json();
    expect(merged.json().candidate).toMatchObject({ status: 'merged', note: 'KTP dicek', mergeId: merge.id });
    expect(merge).toMatchObject({ fromPerson: b.personId, intoPerson: a.personId, movedRecordIds: [b.record.id], undoneAt: null });

    const viaOldId = await coordinator.request('GET', `/api/beneficiaries/persons/${b.personId}`);
    expect(viaOldId.statusCode).toBe(200);
    expect(viaOldId.json()).toMatchObject({ id: a.personId, requestedId: b.personId, status: 'active' });
    expect(viaOldId.json().records.map((r: { id: number }) => r.id)).toEqual([a.record.id, b.record.id]);
    expect(await auditCount('beneficiary.merge', a.personId)).toBe(1);
    expect(await auditCount('beneficiary.duplicate_merge', candidate.id)).toBe(1);

    const undone = await coordinator.request('POST', `/api/beneficiaries/merges/${merge.id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().undoneAt).toEqual(expect.any(String));
    const personA = (await coordinator.request('GET', `/api/beneficiaries/persons/${a.personId}`)).json();
    const personB = (await coordinator.request('GET', `/api/beneficiaries/persons/${b.personId}`)).json();
    expect(personA.records.map((r: { id: number }) => r.id)).toEqual([a.record.id]);
    expect(personB).toMatchObject({ id: b.personId, requestedId: b.personId, status: 'active' });
    expect(personB.records.map((r: { id: number }) => r.id)).toEqual([b.record.id]);
    const reopened = (await coordinator.request('GET', `/api/beneficiaries/duplicates/${candidate.id}`)).json();
    expect(reopened).toMatchObject({ status: 'pending', mergeId: null });
    expect(await auditCount('beneficiary.merge_undo', a.personId)).toBe(1);

    const twice = await coordinator.request('POST', `/api/beneficiaries/merges/${merge.id}/undo`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0].code).toBe('merge_undone');
  });

  it('a merge whose surviving person was merged again waits until that later merge is undone', async () => {
    const x0 = await register(beneficiary('Eko Prasetyo', '3273010303700001', '1970-03-03', 'L'));
    const x1 = await register(beneficiary('Eko Prasetyo', '3273010303700555', '1970-03-03', 'L'));
    const x2 = await register(beneficiary('Eko Prasetyo', '3273010303700999', '1970-03-03', 'L'));
    const pairs = (await coordinator.request('GET', '/api/beneficiaries/duplicates?status=pending&limit=200')).json().items;
    const pair = (a: { record: { id: number } }, b: { record: { id: number } }) =>
      pairs.find((c: { recordA: { id: number }; recordB: { id: number } }) => c.recordA.id === a.record.id && c.recordB.id === b.record.id);
    const decide = async (c: { id: number }) =>
      (await coordinator.request('POST', `/api/beneficiaries/duplicates/${c.id}/decision`, { decision: 'merge' })).json().merge;
    const m1 = await decide(pair(x1, x2));
    expect(m1).toMatchObject({ fromPerson: x2.personId, intoPerson: x1.personId });
    const m2 = await decide(pair(x0, x1));
    expect(m2).toMatchObject({ fromPerson: x1.personId, intoPerson: x0.personId, movedRecordIds: [x1.record.id, x2.record.id] });
    expect((await coordinator.request('GET', `/api/beneficiaries/persons/${x2.personId}`)).json().id).toBe(x0.personId);

    const blocked = await coordinator.request('POST', `/api/beneficiaries/merges/${m1.id}/undo`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().errors[0]).toMatchObject({ code: 'merge_superseded' });
    expect((await coordinator.request('POST', `/api/beneficiaries/merges/${m2.id}/undo`)).statusCode).toBe(200);
    expect((await coordinator.request('POST', `/api/beneficiaries/merges/${m1.id}/undo`)).statusCode).toBe(200);
    for (const x of [x0, x1, x2]) {
      const person = (await coordinator.request('GET', `/api/beneficiaries/persons/${x.personId}`)).json();
      expect(person).toMatchObject({ id: x.personId, status: 'active' });
      expect(person.records.map((r: { id: number }) => r.id)).toEqual([x.record.id]);
    }
  });
});

describe('decisions', () => {
  it('a decided pair cannot be decided again (409); "later" keeps it open', async () => {
    const { candidate } = await queuedPair('Ni Made Sari', '3273014404880001', '3273014404880444', '1988-04-04', 'P');
    const later = await coordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'later' });
    expect(later.json().candidate.status).toBe('later');
    const notSame = await coordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'not_same', note: 'kembar' });
    expect(notSame.statusCode, notSame.body).toBe(200);
    expect(notSame.json()).toMatchObject({ candidate: { status: 'not_same' }, merge: null });
    const again = await coordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'merge' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ code: 'duplicate_decided' });
    expect(await auditCount('beneficiary.duplicate_not_same', candidate.id)).toBe(1);
  });

  it('two coordinators deciding at once: one wins, the other gets 409, and only one merge happens', async () => {
    const { candidate, a } = await queuedPair('Yohanes Lede', '3273012512750001', '3273012512750333', '1975-12-25', 'L');
    const results = await Promise.all([
      coordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'merge' }),
      secondCoordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'not_same' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const merges = await sys.ctx.db.selectFrom('person_merges').select('id').where('candidate_id', '=', candidate.id).execute();
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect(merges).toHaveLength(winner.candidate.status === 'merged' ? 1 : 0);
    expect(a.personId).toEqual(expect.any(Number));
  });
});

describe('splitting a record off a person', () => {
  it('undoes a wrong automatic link: the record gets its own person, the pair becomes “not the same”, and both persons tell the story', async () => {
    // Same NIK, a typo in the name: linked without review.
    const first = await register(beneficiary('Dewi Anggraini', '3273014403880004', '1988-03-04', 'P'));
    const second = await register(beneficiary('Dewi Angraini', '3273014403880004', '1988-03-04', 'P'));
    expect(second.outcome).toBe('linked');
    expect(second.personId).toBe(first.personId);

    const person = (await coordinator.request('GET', `/api/beneficiaries/persons/${first.personId}`)).json();
    const linkedRecord = person.records.find((r: { id: number }) => r.id === second.record.id);
    expect(linkedRecord.link).toMatchObject({ outcome: 'linked', probability: expect.any(Number) });
    expect(linkedRecord.link.probability).toBeGreaterThan(0.99);

    const split = await coordinator.request('POST', `/api/beneficiaries/records/${second.record.id}/split`, { note: 'Dua orang, NIK salah ketik di KTP' });
    expect(split.statusCode, split.body).toBe(200);
    const { split: made, person: newPerson } = split.json();
    expect(newPerson).not.toBe(first.personId);
    expect(made).toMatchObject({ recordId: second.record.id, fromPerson: first.personId, newPerson, note: 'Dua orang, NIK salah ketik di KTP' });

    const before = (await coordinator.request('GET', `/api/beneficiaries/persons/${first.personId}`)).json();
    expect(before.records.map((r: { id: number }) => r.id)).toEqual([first.record.id]);
    expect(before.splits).toEqual([made]);
    const after = (await coordinator.request('GET', `/api/beneficiaries/persons/${newPerson}`)).json();
    expect(after.records.map((r: { id: number }) => r.id)).toEqual([second.record.id]);
    expect(after.splits).toEqual([made]);

    const pair = await sys.ctx.db
      .selectFrom('duplicate_candidates')
      .selectAll()
      .where('record_a', '=', first.record.id)
      .where('record_b', '=', second.record.id)
      .executeTakeFirstOrThrow();
    expect(pair).toMatchObject({ status: 'not_same', note: 'Dua orang, NIK salah ketik di KTP' });
    expect(await auditCount('beneficiary.split', second.record.id)).toBe(1);

    // Asked again (a double tap): the record is now alone, nothing more happens.
    const again = await coordinator.request('POST', `/api/beneficiaries/records/${second.record.id}/split`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ code: 'record_alone' });
    expect(await auditCount('beneficiary.split', second.record.id)).toBe(1);
  });

  it('a record that came with a merge leaves by undoing that merge; the person lists its merges', async () => {
    const { a, b, candidate } = await queuedPair('Agus Salim', '3273010102700001', '3273010102700555', '1970-02-01', 'L');
    const merged = (await coordinator.request('POST', `/api/beneficiaries/duplicates/${candidate.id}/decision`, { decision: 'merge' })).json();
    const person = (await coordinator.request('GET', `/api/beneficiaries/persons/${a.personId}`)).json();
    expect(person.merges).toEqual([expect.objectContaining({ id: merged.merge.id, candidateId: candidate.id, fromPerson: b.personId, undoneAt: null })]);

    const refused = await coordinator.request('POST', `/api/beneficiaries/records/${b.record.id}/split`, {});
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().errors[0]).toMatchObject({ code: 'record_merged' });
    expect(refused.json().errors[0].message).toContain(`#${merged.merge.id}`);
  });

  it('needs the right to manage beneficiaries in every region involved', async () => {
    const first = await register(beneficiary('Rina Marlina', '3273016512910003', '1991-12-25', 'P'));
    const res = await secondCoordinator.request('POST', '/api/beneficiaries', beneficiary('Rina Marlina', '3273016512910003', '1991-12-25', 'P', { regencyCode: '32.04' }));
    const second = res.json();
    expect(second.personId, res.body).toBe(first.personId);
    const outsider = await login(sys.app, await makeUser(sys.ctx, { grants: [grants.regencyCoordinator('32.04')] }));
    const refused = await outsider.request('POST', `/api/beneficiaries/records/${second.record.id}/split`, {});
    expect(refused.statusCode).toBe(403);
    expect((await sys.ctx.db.selectFrom('beneficiary_records').select('person_id').where('id', '=', second.record.id).executeTakeFirstOrThrow()).person_id).toBe(first.personId);
  });
});
