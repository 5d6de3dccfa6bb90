/** Public HTTP API of the 17 creative-economy subsectors. */
import type { ModulePlugin } from '../../platform/http.ts';
import { ListSubsectorsResponse } from './schemas.ts';
import * as service from './service.ts';

export const subsectorRoutes: ModulePlugin = (app, ctx) => {
  app.get(
    '/api/subsectors',
    {
      schema: {
        tags: ['subsectors'],
        summary: 'The 17 creative-economy subsectors, in the official order',
        response: { 200: ListSubsectorsResponse },
      },
    },
    async (_req, reply) => {
      // Changes only with a release.
      reply.header('cache-control', 'public, max-age=3600');
      return service.listSubsectors(ctx.db);
    },
  );
};
