/** HTTP API of the benefit ledger: kinds of aid, aid programmes, benefits given. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http.ts';
import * as b from './benefits.service.ts';
import * as bs from './benefits.schemas.ts';
import type { RequestMeta } from './common.ts';
import { IdParams } from './schemas.ts';

const meta = (req: FastifyRequest): RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const tags = ['beneficiaries'];

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .trim()
    .min(8)
    .max(200)
    .optional()
    .describe('Any unique string per benefit (a UUID), per caller: a retry with the same key returns the first answer and writes nothing'),
});

export async function benefitRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/beneficiaries/aid-kinds',
    { schema: { tags, summary: 'Kinds of aid (food package, APD, cash, …), shared by every programme', response: { 200: bs.AidKindList }, ...session } },
    async (req) => b.listAidKinds(ctx, requireActor(req.actor), req.locale),
  );

  app.get(
    '/api/beneficiaries/programmes',
    { schema: { tags, summary: 'Aid programmes and the kinds of aid each gives', response: { 200: bs.ProgrammeList }, ...session } },
    async (req) => b.listProgrammes(ctx, requireActor(req.actor)),
  );

  app.post(
    '/api/beneficiaries/programmes',
    {
      schema: { tags, summary: 'Create an aid programme (national programme configuration)', body: bs.NewProgrammeInput, response: { 201: bs.Programme }, ...session },
    },
    async (req, reply) => reply.code(201).send(await b.createProgramme(ctx, requireActor(req.actor), req.body, meta(req))),
  );

  app.post(
    '/api/beneficiaries/benefits',
    {
      schema: {
        tags,
        summary: 'Record a benefit given (person × programme × kind of aid × period × partner, through one record); the same record, programme, kind and period is one benefit',
        headers: IdempotencyHeaders,
        body: bs.NewBenefitInput,
        response: { 200: bs.BenefitResult, 201: bs.BenefitResult },
        ...session,
      },
    },
    async (req, reply) => {
      const result = await b.recordBenefit(ctx, requireActor(req.actor), req.body, meta(req), { idempotencyKey: req.headers['idempotency-key'] });
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.post(
    '/api/beneficiaries/benefits/batch',
    {
      schema: {
        tags,
        summary:
          'Record one distribution: the same programme, kind of aid, period and partner for many records, in one transaction (all or none); idempotent on the batch key',
        body: bs.NewBenefitBatchInput,
        response: { 200: bs.BenefitBatchResult, 201: bs.BenefitBatchResult },
        ...session,
      },
    },
    async (req, reply) => {
      const result = await b.recordBenefits(ctx, requireActor(req.actor), req.body, meta(req));
      return reply.code(result.recorded > 0 ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/beneficiaries/persons/:id/benefits',
    {
      schema: {
        tags,
        summary: 'A person’s benefits (a merged id resolves to the person it became; benefits of merged records included), in the caller’s scope',
        params: IdParams,
        querystring: bs.PersonBenefitsQuery,
        response: { 200: bs.BenefitList },
        ...session,
      },
    },
    async (req) => b.personBenefits(ctx, requireActor(req.actor), req.params.id, req.query.aidKind),
  );
}
