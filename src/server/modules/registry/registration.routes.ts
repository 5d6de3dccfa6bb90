/** HTTP API of public self-registration: consent texts, member and community registrations (no session needed). */
import type { FastifyRequest } from 'fastify';
import type { ModulePlugin } from '../../platform/http.ts';
import { CommunityRegistrationInput, ConsentTextList, MemberRegistrationInput, RegistrationResult } from './registration.schemas.ts';
import { listConsentTexts, registerCommunity, registerMember, type PublicRequestMeta } from './registration.service.ts';

const meta = (req: FastifyRequest): PublicRequestMeta => ({ requestId: String(req.id), ip: req.ip });

export const registrationRoutes: ModulePlugin = (app, ctx) => {
  app.get(
    '/api/public/consent-texts',
    {
      schema: {
        tags: ['registry'],
        summary: 'The current consent texts, one per purpose, in the caller’s language; send their versions back with a registration',
        response: { 200: ConsentTextList },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      reply.header('vary', 'accept-language');
      return listConsentTexts(ctx, req.locale);
    },
  );

  app.post(
    '/api/public/registrations/members',
    {
      schema: {
        tags: ['registry'],
        summary: 'Register as a member (pending until a coordinator of the regency approves); consent to “registry” is required',
        body: MemberRegistrationInput,
        response: { 201: RegistrationResult },
      },
    },
    async (req, reply) => {
      const result = await registerMember(ctx, req.body, meta(req));
      // Warnings (a NIK that disagrees with the birth date…) are left for the coordinator who reviews it.
      return reply.code(201).send({ reference: result.reference, status: result.status });
    },
  );

  app.post(
    '/api/public/registrations/communities',
    {
      schema: {
        tags: ['registry'],
        summary: 'Register a community (pending until a coordinator of the regency approves)',
        body: CommunityRegistrationInput,
        response: { 201: RegistrationResult },
      },
    },
    async (req, reply) => {
      const result = await registerCommunity(ctx, req.body, meta(req));
      return reply.code(201).send({ reference: result.reference, status: result.status });
    },
  );
};
