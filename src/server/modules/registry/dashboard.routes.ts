/** HTTP API of the registry dashboard (coordinators, signed in) and the public registry summary (anyone). */
import type { ModulePlugin } from '../../platform/http.ts';
import { DashboardQuery, DashboardResponse, PublicSummaryQuery, PublicSummaryResponse } from './dashboard.schemas.ts';
import { publicRegistrySummary, registryDashboard } from './dashboard.service.ts';

// Aggregates that change slowly: phones and any proxy in between may keep the public figures for five minutes.
const PUBLIC_CACHE = 'public, max-age=300';
// Scoped to the caller: never in a shared cache, and always asked again (the server keeps its own snapshot).
const PRIVATE_CACHE = 'private, no-cache';

export const registryDashboardRoutes: ModulePlugin = (app, ctx) => {
  app.get(
    '/api/registry/dashboard',
    {
      schema: {
        tags: ['registry'],
        summary: 'Members, communities, chapters, coverage and data freshness per province or regency and per subsector, within your scope',
        querystring: DashboardQuery,
        response: { 200: DashboardResponse },
        security: [{ sessionCookie: [] }],
      },
    },
    async (req, reply) => {
      const body = await registryDashboard(ctx.db, req.actor, req.query);
      reply.header('cache-control', PRIVATE_CACHE);
      return body;
    },
  );

  app.get(
    '/api/public/registry/summary',
    {
      schema: {
        tags: ['registry'],
        summary: 'Public aggregates of the network: members, communities and chapters per province or regency and per subsector (no personal data)',
        querystring: PublicSummaryQuery,
        response: { 200: PublicSummaryResponse },
      },
    },
    async (req, reply) => {
      const body = await publicRegistrySummary(ctx.db, req.query);
      reply.header('cache-control', PUBLIC_CACHE);
      return body;
    },
  );
};
