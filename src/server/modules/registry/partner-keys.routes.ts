/** HTTP API of partner API keys, kept on the partner's page by those who may edit the partner. */
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http.ts';
import type { RequestMeta } from './common.ts';
import * as ks from './partner-keys.schemas.ts';
import { issuePartnerKey, listPartnerKeys, revokePartnerKey } from './partner-keys.service.ts';
import { IdParams } from './schemas.ts';

const meta = (req: FastifyRequest): RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };
const tags = ['registry'];

export async function partnerKeyRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/partners/:id/keys',
    {
      schema: {
        tags,
        summary: 'A partner’s API keys (prefix, label, scopes, dates, last use); never the tokens. Needs partners.manage over the partner’s region',
        params: IdParams,
        response: { 200: ks.PartnerKeyList },
        ...session,
      },
    },
    async (req) => listPartnerKeys(ctx, requireActor(req.actor), req.params.id),
  );

  app.post(
    '/api/partners/:id/keys',
    {
      schema: {
        tags,
        summary: 'Issue an API key for a partner: the token is in this answer only, never again (logged without the token)',
        params: IdParams,
        body: ks.NewPartnerKeyInput,
        response: { 201: ks.IssuedPartnerKey },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(await issuePartnerKey(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)));
    },
  );

  app.post(
    '/api/partners/:id/keys/:keyId/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a partner’s API key: it stops working at once (logged); revoking again changes nothing',
        params: ks.PartnerKeyParams,
        response: { 200: ks.PartnerKey },
        ...session,
      },
    },
    async (req) => revokePartnerKey(ctx, requireActor(req.actor), req.params.id, req.params.keyId, meta(req)),
  );
}
