/** HTTP API of the beneficiary registry (RESCUE, DAMPING): parse, authenticate, call the service, present. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { fieldMessage } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import type { RequestMeta, Warning } from './common.ts';
import * as records from './records.service.ts';
import { registerBeneficiary } from './registration.service.ts';
import * as review from './review.service.ts';
import * as s from './schemas.ts';

const meta = (req: FastifyRequest): RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const tags = ['beneficiaries'];

const localised = (req: FastifyRequest, warnings: Warning[]) =>
  warnings.map((w) => ({ path: w.path, code: w.code, message: fieldMessage(w.code, req.locale, w.params) }));

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .trim()
    .min(8)
    .max(200)
    .optional()
    .describe('Any unique string per registration (a UUID), per caller: a retry with the same key returns the first answer (without warnings) and writes nothing'),
});

export async function beneficiaryRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/beneficiaries',
    {
      schema: {
        tags,
        summary: 'Register a beneficiary record: validated, compared with every registered record, then linked, queued for review or new',
        headers: IdempotencyHeaders,
        body: s.NewBeneficiaryInput,
        response: { 200: s.RegistrationResult, 201: s.RegistrationResult },
        ...session,
      },
    },
    async (req, reply) => {
      const result = await registerBeneficiary(ctx, requireActor(req.actor), req.body, meta(req), {
        idempotencyKey: req.headers['idempotency-key'],
      });
      return reply.code(result.replayed ? 200 : 201).send({ ...result, warnings: localised(req, result.warnings) });
    },
  );

  app.get(
    '/api/beneficiaries/records',
    {
      schema: {
        tags,
        summary: 'Beneficiary records in the caller’s scope, by name (typos and old spellings forgiven); personal data masked',
        querystring: s.RecordListQuery,
        response: { 200: s.RecordList },
        ...session,
      },
    },
    async (req) => records.listRecords(ctx, requireActor(req.actor), req.query),
  );

  app.get(
    '/api/beneficiaries/records/:id',
    { schema: { tags, summary: 'One beneficiary record; personal data masked', params: s.IdParams, response: { 200: s.BeneficiaryRecord }, ...session } },
    async (req) => records.getRecord(ctx, requireActor(req.actor), req.params.id),
  );

  app.post(
    '/api/beneficiaries/records/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Show a record’s NIK, KK, phone or address in clear (needs personal_data.reveal in its regency; logged with the reason)',
        params: s.IdParams,
        body: s.RevealInput,
        response: { 200: s.RevealResult },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return records.revealRecordField(ctx, requireActor(req.actor), req.params.id, req.body, meta(req));
    },
  );

  app.get(
    '/api/beneficiaries/persons/:id',
    {
      schema: {
        tags,
        summary: 'A person by its stable id (a merged id resolves to the person it became), with its records in the caller’s scope',
        params: s.IdParams,
        response: { 200: s.Person },
        ...session,
      },
    },
    async (req) => records.getPerson(ctx, requireActor(req.actor), req.params.id),
  );

  app.get(
    '/api/beneficiaries/duplicates',
    {
      schema: {
        tags,
        summary: 'Possible duplicates whose two records are both in the caller’s scope, side by side with each field’s contribution',
        querystring: s.DuplicateListQuery,
        response: { 200: s.DuplicateList },
        ...session,
      },
    },
    async (req) => review.listDuplicates(ctx, requireActor(req.actor), req.query),
  );

  app.get(
    '/api/beneficiaries/duplicates/:id',
    { schema: { tags, summary: 'One possible duplicate pair', params: s.IdParams, response: { 200: s.DuplicateCandidate }, ...session } },
    async (req) => review.getDuplicate(ctx, requireActor(req.actor), req.params.id),
  );

  app.post(
    '/api/beneficiaries/duplicates/:id/decision',
    {
      schema: {
        tags,
        summary: 'Decide on a pair: merge the two persons, not the same person, or later (409 when already decided)',
        params: s.IdParams,
        body: s.DecisionInput,
        response: { 200: s.DecisionResult },
        ...session,
      },
    },
    async (req) => review.decideDuplicate(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.post(
    '/api/beneficiaries/merges/:id/undo',
    {
      schema: { tags, summary: 'Undo a merge (split the persons back) and reopen its pair for review', params: s.IdParams, response: { 200: s.Merge }, ...session },
    },
    async (req) => review.undoMerge(ctx, requireActor(req.actor), req.params.id, meta(req)),
  );

  app.post(
    '/api/beneficiaries/records/:id/split',
    {
      schema: {
        tags,
        summary:
          'Split one record off its person into a person of its own (a wrong automatic link); its pairs with the person’s other records become “not the same person”. 409 when it is the person’s only record, or came with a merge (undo that merge instead)',
        params: s.IdParams,
        body: s.SplitInput,
        response: { 200: s.SplitResult },
        ...session,
      },
    },
    async (req) => review.splitRecord(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.get(
    '/api/beneficiaries/settings',
    { schema: { tags, summary: 'Linkage thresholds (match probability for automatic links and for review)', response: { 200: s.Settings }, ...session } },
    async (req) => records.getSettings(ctx, requireActor(req.actor)),
  );

  app.patch(
    '/api/beneficiaries/settings',
    {
      schema: { tags, summary: 'Change the linkage thresholds (national programme configuration)', body: s.SettingsPatch, response: { 200: s.Settings }, ...session },
    },
    async (req) => records.updateSettings(ctx, requireActor(req.actor), req.body, meta(req)),
  );
}
