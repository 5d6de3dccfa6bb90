/**
 * HTTP API of targeting without overlap: the eligible list of a distribution, a partner's overlap
 * check, and the privacy-preserving exchange (PPRL).
 *
 * A partner calls the overlap check and the exchange itself with its API key (scopes
 * `overlap.check`, `pprl.exchange`; registry/partner-keys.service.ts), or a logged-in national admin
 * or coordinator acts for a partner named in the body. Either way the partner's valid agreements
 * bound what is answered; staff see no more than their own scope either.
 */
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http.ts';
import type { RequestMeta } from './common.ts';
import * as os from './overlap.schemas.ts';
import { eligibleList, partnerOverlap } from './overlap.service.ts';
import { pprlExchange, registerPprlKey } from './pprl-exchange.service.ts';

const meta = (req: FastifyRequest): RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const sessionOrPartnerKey = { security: [{ sessionCookie: [] }, { partnerKey: [] }] as Record<string, string[]>[] };
const tags = ['beneficiaries'];

export async function overlapRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/beneficiaries/distributions/eligible',
    {
      schema: {
        tags,
        summary: 'The eligible list for a distribution: each candidate included, or excluded with the reasons (already served with this kind of aid in the period by any programme or partner; already in this list)',
        body: os.EligibleListInput,
        response: { 200: os.EligibleList },
        ...session,
      },
    },
    async (req) => eligibleList(ctx, requireActor(req.actor), req.body, req.locale),
  );

  app.post(
    '/api/beneficiaries/partner-overlap',
    {
      schema: {
        tags,
        summary: 'A partner’s own list (NIK, name, birth date, region): per row, whether that person already received this kind of aid in the period; detail only under an agreement that allows personal data',
        body: os.PartnerOverlapInput,
        response: { 200: os.PartnerOverlapResult },
        ...sessionOrPartnerKey,
      },
      config: { partnerKeyScope: 'overlap.check' },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return partnerOverlap(ctx, requireActor(req.actor), req.body, req.locale, meta(req));
    },
  );

  // POST (register or replace): the same call twice leaves the same row.
  app.post(
    '/api/beneficiaries/pprl/keys',
    {
      schema: {
        tags,
        summary: 'Name the server environment variable holding the secret agreed with a partner for PPRL exchanges; its fingerprint is kept, the secret never',
        body: os.PprlKeyInput,
        response: { 200: os.PprlKey },
        ...session,
      },
    },
    async (req) => registerPprlKey(ctx, requireActor(req.actor), req.body, meta(req)),
  );

  app.post(
    '/api/beneficiaries/pprl/exchange',
    {
      schema: {
        tags,
        summary: 'Overlap without sharing NIKs: the partner’s Bloom-filter/HMAC encodings against the people served with this kind of aid in the period; answers counts and matched pairs (row ↔ opaque person reference)',
        body: os.PprlExchangeInput,
        response: { 200: os.PprlExchangeResult },
        ...sessionOrPartnerKey,
      },
      config: { partnerKeyScope: 'pprl.exchange' },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return pprlExchange(ctx, requireActor(req.actor), req.body, meta(req));
    },
  );
}
