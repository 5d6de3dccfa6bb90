/** HTTP API of deduplication runs over the beneficiary registry. */
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http.ts';
import type { RequestMeta } from './common.ts';
import * as runs from './dedup-run.service.ts';
import * as s from './dedup-run.schemas.ts';

const meta = (req: FastifyRequest): RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const tags = ['beneficiaries'];

export async function dedupRunRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/beneficiaries/dedup-runs',
    {
      schema: {
        tags,
        summary: 'Start a deduplication run over a region (or, national scope, the whole registry) as a background job; its pairs go to the review queue',
        body: s.NewDedupRunInput,
        response: { 202: s.DedupRun },
        ...session,
      },
    },
    async (req, reply) => {
      const run = await runs.startDedupRun(ctx, { actor: requireActor(req.actor) }, { regionCode: req.body.regionCode ?? null }, meta(req));
      return reply.code(202).send(run);
    },
  );

  app.get(
    '/api/beneficiaries/dedup-runs',
    { schema: { tags, summary: 'Recent deduplication runs: the caller’s own (all, for national scope)', response: { 200: s.DedupRunList }, ...session } },
    async (req) => ({ items: await runs.listDedupRuns(ctx, requireActor(req.actor)) }),
  );

  app.get(
    '/api/beneficiaries/dedup-runs/:id',
    {
      schema: {
        tags,
        summary: 'A deduplication run: status, progress (phase, done, total, time left), counts and the learned parameters',
        params: s.DedupRunParams,
        response: { 200: s.DedupRun },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return runs.getDedupRun(ctx, requireActor(req.actor), req.params.id);
    },
  );

  app.post(
    '/api/beneficiaries/dedup-runs/:id/merge-clear-matches',
    {
      schema: {
        tags,
        summary:
          'Merge every clear match of a finished run still pending, as a background job; each pair is merged like a reviewer’s merge (audited, undoable). Pairs already decided, or merged and undone, are left alone',
        params: s.DedupRunParams,
        response: { 202: s.ClearMatchMergeStarted },
        ...session,
      },
    },
    async (req, reply) => reply.code(202).send(await runs.startClearMerge(ctx, requireActor(req.actor), req.params.id, meta(req))),
  );

  app.get(
    '/api/beneficiaries/dedup-runs/:id/merge-clear-matches',
    {
      schema: {
        tags,
        summary: 'The merge of a run’s clear matches: its job’s status and progress, and the clear matches by status',
        params: s.DedupRunParams,
        response: { 200: s.ClearMatchMerge },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return runs.getClearMerge(ctx, requireActor(req.actor), req.params.id);
    },
  );
}
