/** HTTP API of Jejaring (the network registry): parse, authenticate, call the service, present. */
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { fieldMessage } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import * as s from './schemas.ts';
import * as registry from './service.ts';

const meta = (req: FastifyRequest): registry.RequestMeta => ({ requestId: String(req.id) });
const session = { security: [{ sessionCookie: [] }] };

/** Warnings in the caller's language, like field errors. */
const localised = (req: FastifyRequest, warnings: registry.Warning[]) =>
  warnings.map((w) => ({ path: w.path, code: w.code, message: fieldMessage(w.code, req.locale, w.params) }));

export async function registryRoutes(app: App, ctx: AppContext) {
  // ---------------------------------------------------------------- members

  app.get(
    '/api/members',
    {
      schema: {
        tags: ['registry'],
        summary: 'Members in the caller’s scope, with fuzzy name search and filters; personal data masked',
        querystring: s.MemberListQuery,
        response: { 200: s.MemberList },
        ...session,
      },
    },
    async (req) => registry.listMembers(ctx, requireActor(req.actor), req.query),
  );

  app.post(
    '/api/members',
    {
      schema: {
        tags: ['registry'],
        summary: 'Add a member (coordinators in their region; community admins for their community)',
        body: s.NewMemberInput,
        response: { 201: s.MemberWithWarnings },
        ...session,
      },
    },
    async (req, reply) => {
      const { member, warnings } = await registry.createMember(ctx, requireActor(req.actor), req.body, meta(req));
      return reply.code(201).send({ member, warnings: localised(req, warnings) });
    },
  );

  app.get(
    '/api/members/me',
    { schema: { tags: ['registry'], summary: 'The caller’s own member record', response: { 200: s.Member }, ...session } },
    async (req) => registry.getOwnMember(ctx, requireActor(req.actor)),
  );

  app.get(
    '/api/members/:id',
    { schema: { tags: ['registry'], summary: 'One member; NIK and phone masked', params: s.IdParams, response: { 200: s.Member }, ...session } },
    async (req) => registry.getMember(ctx, requireActor(req.actor), req.params.id),
  );

  app.patch(
    '/api/members/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'Change a member; lists (subsectors, skills, links, communities) are replaced as given',
        params: s.IdParams,
        body: s.MemberPatchInput,
        response: { 200: s.MemberWithWarnings },
        ...session,
      },
    },
    async (req) => {
      const { member, warnings } = await registry.updateMember(ctx, requireActor(req.actor), req.params.id, req.body, meta(req));
      return { member, warnings: localised(req, warnings) };
    },
  );

  app.post(
    '/api/members/:id/reveal',
    {
      schema: {
        tags: ['registry'],
        summary: 'Show a member’s NIK or phone in clear (needs personal_data.reveal in the member’s region; logged with the reason)',
        params: s.IdParams,
        body: s.RevealInput,
        response: { 200: s.RevealResult },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return registry.revealMemberField(ctx, requireActor(req.actor), req.params.id, req.body, meta(req));
    },
  );

  app.post(
    '/api/members/:id/decision',
    {
      schema: {
        tags: ['registry'],
        summary: 'Approve or reject a pending member (coordinators of the member’s region)',
        params: s.IdParams,
        body: s.DecisionInput,
        response: { 200: s.Member },
        ...session,
      },
    },
    async (req) => registry.decideMember(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  // ---------------------------------------------------------------- communities

  app.get(
    '/api/communities',
    {
      schema: {
        tags: ['registry'],
        summary: 'Communities in the caller’s scope, with fuzzy name search and filters',
        querystring: s.CommunityListQuery,
        response: { 200: s.CommunityList },
        ...session,
      },
    },
    async (req) => registry.listCommunities(ctx, requireActor(req.actor), req.query),
  );

  app.post(
    '/api/communities',
    {
      schema: { tags: ['registry'], summary: 'Add a community (coordinators in their region)', body: s.NewCommunityInput, response: { 201: s.Community }, ...session },
    },
    async (req, reply) => reply.code(201).send(await registry.createCommunity(ctx, requireActor(req.actor), req.body, meta(req))),
  );

  app.get(
    '/api/communities/:id',
    { schema: { tags: ['registry'], summary: 'One community', params: s.IdParams, response: { 200: s.Community }, ...session } },
    async (req) => registry.getCommunity(ctx, requireActor(req.actor), req.params.id),
  );

  app.patch(
    '/api/communities/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'Change a community (coordinators; its own admins for the profile)',
        params: s.IdParams,
        body: s.CommunityPatchInput,
        response: { 200: s.Community },
        ...session,
      },
    },
    async (req) => registry.updateCommunity(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.post(
    '/api/communities/:id/decision',
    {
      schema: {
        tags: ['registry'],
        summary: 'Approve or reject a pending community (coordinators of its region)',
        params: s.IdParams,
        body: s.DecisionInput,
        response: { 200: s.Community },
        ...session,
      },
    },
    async (req) => registry.decideCommunity(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.post(
    '/api/communities/:id/reveal',
    {
      schema: {
        tags: ['registry'],
        summary: 'Show a community’s contact phone in clear (needs personal_data.reveal in its regency; logged with the reason)',
        params: s.IdParams,
        body: s.ContactRevealInput,
        response: { 200: s.ContactRevealResult },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return registry.revealCommunityContact(ctx, requireActor(req.actor), req.params.id, req.body, meta(req));
    },
  );

  // ---------------------------------------------------------------- chapters (public list)

  app.get(
    '/api/chapters',
    {
      schema: {
        tags: ['registry'],
        summary: 'Chapters (public); contacts only for callers whose scope covers the regency',
        querystring: s.ChapterListQuery,
        response: { 200: s.ChapterList },
      },
    },
    async (req) => registry.listChapters(ctx, req.actor, req.query),
  );

  app.post(
    '/api/chapters',
    {
      schema: { tags: ['registry'], summary: 'Open the chapter of a regency (one per regency)', body: s.NewChapterInput, response: { 201: s.Chapter }, ...session },
    },
    async (req, reply) => reply.code(201).send(await registry.createChapter(ctx, requireActor(req.actor), req.body, meta(req))),
  );

  app.get(
    '/api/chapters/:id',
    { schema: { tags: ['registry'], summary: 'One chapter (public)', params: s.IdParams, response: { 200: s.Chapter } } },
    async (req) => registry.getChapter(ctx, req.actor, req.params.id),
  );

  app.patch(
    '/api/chapters/:id',
    {
      schema: { tags: ['registry'], summary: 'Change a chapter', params: s.IdParams, body: s.ChapterPatchInput, response: { 200: s.Chapter }, ...session },
    },
    async (req) => registry.updateChapter(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  // ---------------------------------------------------------------- partners

  app.get(
    '/api/partners',
    {
      schema: {
        tags: ['registry'],
        summary: 'Partners working in the caller’s region (and national partners)',
        querystring: s.PartnerListQuery,
        response: { 200: s.PartnerList },
        ...session,
      },
    },
    async (req) => registry.listPartners(ctx, requireActor(req.actor), req.query),
  );

  app.post(
    '/api/partners',
    { schema: { tags: ['registry'], summary: 'Add a partner, optionally with agreements', body: s.NewPartnerInput, response: { 201: s.Partner }, ...session } },
    async (req, reply) => reply.code(201).send(await registry.createPartner(ctx, requireActor(req.actor), req.body, meta(req))),
  );

  app.get(
    '/api/partners/:id',
    { schema: { tags: ['registry'], summary: 'One partner with its agreements', params: s.IdParams, response: { 200: s.Partner }, ...session } },
    async (req) => registry.getPartner(ctx, requireActor(req.actor), req.params.id),
  );

  app.patch(
    '/api/partners/:id',
    {
      schema: { tags: ['registry'], summary: 'Change a partner', params: s.IdParams, body: s.PartnerPatchInput, response: { 200: s.Partner }, ...session },
    },
    async (req) => registry.updatePartner(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.post(
    '/api/partners/:id/reveal',
    {
      schema: {
        tags: ['registry'],
        summary: 'Show a partner’s contact phone in clear (needs personal_data.reveal over the partner’s region; logged with the reason)',
        params: s.IdParams,
        body: s.ContactRevealInput,
        response: { 200: s.ContactRevealResult },
        ...session,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return registry.revealPartnerContact(ctx, requireActor(req.actor), req.params.id, req.body, meta(req));
    },
  );

  app.post(
    '/api/partners/:id/agreements',
    {
      schema: {
        tags: ['registry'],
        summary: 'Add an agreement to a partner (one that opens personal data needs the right to see it there)',
        params: s.IdParams,
        body: s.NewAgreementInput,
        response: { 201: s.Partner },
        ...session,
      },
    },
    async (req, reply) => reply.code(201).send(await registry.addAgreement(ctx, requireActor(req.actor), req.params.id, req.body, meta(req))),
  );

  app.patch(
    '/api/partners/:id/agreements/:agreementId',
    {
      schema: {
        tags: ['registry'],
        summary: 'Change a partner agreement',
        params: s.AgreementParams,
        body: s.AgreementPatchInput,
        response: { 200: s.Partner },
        ...session,
      },
    },
    async (req) =>
      registry.updateAgreement(ctx, requireActor(req.actor), req.params.id, req.params.agreementId, req.body, meta(req)),
  );
}
