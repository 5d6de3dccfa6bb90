/** Public HTTP API of the region reference data and the boundary maps: no login, it is public data. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import type { ModulePlugin } from '../../platform/http.ts';
import { MAP_ATTRIBUTION, REGION_ATTRIBUTIONS } from './attribution.ts';
import { acceptsGzip, gzipEtag, loadGeoStore, matchesEtag, type GeoBody } from './geo.ts';
import {
  AttributionResponse,
  GeoJsonResponse,
  GeoRegenciesQuery,
  ListRegionsQuery,
  ListRegionsResponse,
  RegionDetail,
  RegionParams,
  SearchRegionsQuery,
  SearchRegionsResponse,
} from './schemas.ts';
import * as service from './service.ts';

// Reference data changes only with a release; an hour of caching spares phones the round trips.
const REFERENCE_CACHE = 'public, max-age=3600';
const GEO_CACHE = 'public, max-age=86400';

export const regionRoutes: ModulePlugin = (app, ctx) => {
  const geo = loadGeoStore();

  app.get(
    '/api/regions',
    {
      schema: {
        tags: ['regions'],
        summary: 'List regions: provinces, the children of a region, or every region of a level',
        querystring: ListRegionsQuery,
        response: { 200: ListRegionsResponse },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', REFERENCE_CACHE);
      return service.listRegions(ctx.db, req.query);
    },
  );

  app.get(
    '/api/regions/search',
    {
      schema: {
        tags: ['regions'],
        summary: 'Find regions by name, forgiving typos and old spellings',
        querystring: SearchRegionsQuery,
        response: { 200: SearchRegionsResponse },
      },
    },
    async (req) => service.searchRegions(ctx.db, req.query),
  );

  app.get(
    '/api/regions/attribution',
    {
      schema: {
        tags: ['regions'],
        summary: 'Credits for the region data and boundaries, to show with lists and maps',
        response: { 200: AttributionResponse },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', GEO_CACHE);
      return { items: REGION_ATTRIBUTIONS.map((a) => ({ ...a })), text: MAP_ATTRIBUTION };
    },
  );

  app.get(
    '/api/regions/:code',
    {
      schema: {
        tags: ['regions'],
        summary: 'One region with its ancestors, centroid and number of children',
        params: RegionParams,
        response: { 200: RegionDetail },
      },
    },
    async (req, reply) => {
      const region = await service.getRegion(ctx.db, req.params.code);
      reply.header('cache-control', REFERENCE_CACHE);
      return region;
    },
  );

  app.get(
    '/api/geo/provinces',
    {
      schema: {
        tags: ['regions'],
        summary: 'Province boundaries (GeoJSON), gzipped when the client accepts it',
        response: { 200: GeoJsonResponse },
      },
    },
    async (req, reply) => sendGeo(req, reply, geo.provinces),
  );

  app.get(
    '/api/geo/regencies',
    {
      schema: {
        tags: ['regions'],
        summary: 'Regency and city boundaries (GeoJSON), all or those of one province',
        querystring: GeoRegenciesQuery,
        response: { 200: GeoJsonResponse },
      },
    },
    async (req, reply) => {
      const body = geo.regencies(req.query.province);
      if (!body) throw new AppError('not_found', { province: req.query.province });
      return sendGeo(req, reply, body);
    },
  );
};

function sendGeo(req: FastifyRequest, reply: FastifyReply, body: GeoBody) {
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  reply
    .header('cache-control', GEO_CACHE)
    .header('vary', 'accept-encoding')
    .header('etag', gzip ? gzipEtag(body.etag) : body.etag);
  if (matchesEtag(req.headers['if-none-match'], body.etag)) return reply.code(304).send();
  reply.type('application/geo+json');
  if (!gzip) return reply.send(body.raw);
  return reply.header('content-encoding', 'gzip').send(body.gzipped());
}
