import { z } from 'zod';
import { requireActor } from '../../platform/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { SESSION_COOKIE, setSessionCookie, type App } from '../../platform/http.ts';
import type { FastifyRequest } from 'fastify';
import * as s from './schemas.ts';
import * as identity from './service.ts';

const meta = (req: FastifyRequest): identity.RequestMeta => ({
  requestId: String(req.id),
  ip: req.ip,
  userAgent: req.headers['user-agent'] ?? null,
});

const session = { security: [{ sessionCookie: [] }] };

export async function identityRoutes(app: App, ctx: AppContext) {
  app.get(
    '/api/setup/status',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether first-run setup is needed, and whether this client must give the setup code',
        response: { 200: z.object({ needed: z.boolean(), tokenRequired: z.boolean() }) },
      },
    },
    async (req) => {
      const needed = await identity.setupNeeded(ctx);
      return { needed, tokenRequired: needed && !identity.isLoopback(req.ip) };
    },
  );

  app.post(
    '/api/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'First-run setup: create the first national admin and log in',
        body: s.SetupInput,
        response: { 201: s.SessionPayload },
      },
    },
    async (req, reply) => {
      await identity.runFirstSetup(ctx, req.body, meta(req));
      const { token, payload } = await identity.login(ctx, req.body, meta(req));
      setSessionCookie(ctx.config, req, reply, token);
      return reply.code(201).send(payload);
    },
  );

  app.post(
    '/api/auth/login',
    { schema: { tags: ['auth'], summary: 'Log in with e-mail and password', body: s.LoginInput, response: { 200: s.SessionPayload } } },
    async (req, reply) => {
      const { token, payload } = await identity.login(ctx, req.body, meta(req));
      setSessionCookie(ctx.config, req, reply, token);
      return payload;
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Log out', ...session } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await identity.logout(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], summary: 'The current user, roles, permissions and CSRF token', response: { 200: s.SessionPayload }, ...session } },
    async (req) => identity.sessionPayload(ctx, requireActor(req.actor), req.sessionCsrf ?? ''),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your own name, phone, language or password',
        body: s.MePatchInput,
        response: { 200: s.User },
        ...session,
      },
    },
    async (req) =>
      identity.updateOwnAccount(ctx, requireActor(req.actor), req.body, { ...meta(req), sessionToken: req.cookies[SESSION_COOKIE] }),
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Accounts in the caller’s scope',
        querystring: s.UserListQuery,
        response: { 200: z.object({ items: z.array(s.User), total: z.number() }) },
        ...session,
      },
    },
    async (req) => identity.listUsers(ctx, requireActor(req.actor), req.query),
  );

  app.post(
    '/api/users',
    { schema: { tags: ['users'], summary: 'Create an account, optionally with roles', body: s.NewUserInput, response: { 201: s.User }, ...session } },
    async (req, reply) => reply.code(201).send(await identity.createUser(ctx, requireActor(req.actor), req.body, meta(req))),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'One account', params: s.IdParams, response: { 200: s.User }, ...session } },
    async (req) => identity.getUser(ctx, requireActor(req.actor), req.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change an account (name, phone, home region, active/disabled)',
        params: s.IdParams,
        body: s.UserPatchInput,
        response: { 200: s.User },
        ...session,
      },
    },
    async (req) => identity.updateUser(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.post(
    '/api/users/:id/grants',
    {
      schema: { tags: ['users'], summary: 'Give a role within a scope', params: s.IdParams, body: s.GrantInput, response: { 200: s.User }, ...session },
    },
    async (req) => identity.addGrant(ctx, requireActor(req.actor), req.params.id, req.body, meta(req)),
  );

  app.delete(
    '/api/users/:id/grants/:grantId',
    { schema: { tags: ['users'], summary: 'Take a role away', params: s.GrantParams, response: { 200: s.User }, ...session } },
    async (req) => identity.removeGrant(ctx, requireActor(req.actor), req.params.id, req.params.grantId, meta(req)),
  );

  app.get(
    '/api/roles',
    { schema: { tags: ['users'], summary: 'Roles, their scope types, and which the caller may grant', response: { 200: s.RoleList }, ...session } },
    async (req) => ({ items: identity.listRoles(requireActor(req.actor)) }),
  );
}
