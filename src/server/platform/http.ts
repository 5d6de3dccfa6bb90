import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor, PartnerKeyScope } from './access.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import {
  AppError,
  errorMessage,
  errorStatus,
  fieldMessage,
  isFieldErrorCode,
  pickLocale,
  type ErrorCode,
  type FieldError,
  type Locale,
} from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** How the actor was authenticated; CSRF applies to cookie sessions only. */
    authVia: 'cookie' | 'bearer' | null;
    sessionCsrf: string | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** The one partner-key scope that opens this route to a partner's API key; without it, keys are refused. */
    partnerKeyScope?: PartnerKeyScope;
  }
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface ModulePlugin {
  (app: App, ctx: AppContext): Promise<void> | void;
}

export interface BuildAppOptions {
  /** Resolves a session cookie to an actor; provided by the identity module. `renewed`: the expiry moved on. */
  resolveSession: (token: string) => Promise<{ actor: Actor; csrfToken: string; renewed?: boolean } | null>;
  /** Resolves an `Authorization: Bearer` partner API key; provided by the registry module. */
  resolvePartnerKey?: (token: string) => Promise<PartnerKeyResolution>;
  modules: ModulePlugin[];
  logger?: boolean;
  /** Where log lines go (default: stdout); tests capture them here. */
  loggerStream?: { write(line: string): void };
}

/** A key's actor, or why the key was refused (each answers 401 with its own message). */
export type PartnerKeyResolution =
  | { ok: true; actor: Actor }
  | { ok: false; code: 'partner_key_invalid' | 'partner_key_revoked' | 'partner_key_expired' }
  | { ok: false; code: 'rate_limited'; retryAfterSeconds: number };

export const SESSION_COOKIE = 'simpul_session';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(ctx: AppContext, opts: BuildAppOptions): Promise<App> {
  const { config } = ctx;
  // Decided once: the static file routes below exist only if the build was there at start-up.
  const serveWebApp = fs.existsSync(path.join(config.webDir, 'index.html'));
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(opts.loggerStream && { stream: opts.loggerStream }),
            // Never log cookies, auth headers, bodies or query strings (a search for a name or an
            // e-mail is personal data), nor a database error's `detail` (it quotes the row's values).
            serializers: {
              req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip }),
              err: (err: Error & { code?: string; statusCode?: number }) => ({
                type: err.name,
                message: err.message,
                code: err.code,
                statusCode: err.statusCode,
                stack: err.stack ?? '',
              }),
            },
          },
    // A hop count trusts that many proxies nearest to us (what proxy-addr does for a number).
    trustProxy: typeof config.trustProxy === 'number' ? (_addr: string, hop: number) => hop < (config.trustProxy as number) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionCsrf', null);
  app.decorateRequest('locale', 'id');

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    req.locale = pickLocale(req.headers['accept-language']);
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Same-origin app; allow the SPA to be opened from WhatsApp links without COEP breakage.
    crossOriginEmbedderPolicy: false,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Simpul API',
        version: '0.1.0',
        description:
          'The HTTP API of Simpul. Every action in the web app is available here. Errors are RFC 9457 problem details; send `Accept-Language: en` for English messages (Indonesian by default). Cookie-authenticated writes need the `x-csrf-token` header from `/api/auth/session`. Partners call the operations marked with the `partnerKey` scheme with their own API key (`Authorization: Bearer smp_pk_…`), without cookie or CSRF header.',
      },
      components: {
        securitySchemes: {
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          partnerKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A partner’s API key (`smp_pk_…`), issued on the partner’s page and shown once. It acts only for its own partner, only on the operations that list it, and only with its scopes; the partner’s valid agreements bound every answer. No CSRF header is needed.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // Everything from this server: no validator badge from swagger.io, no upgrade to https on plain-http installs.
    uiConfig: { validatorUrl: null },
    staticCSP: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'",
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Partner API keys, before the body is read: a machine client with a bad key learns that first,
  // and nobody gets a megabyte parsed without a valid key.
  app.addHook('onRequest', async (req, reply) => {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer === null) return;
    // The explicit credential wins over an ambient cookie, so CSRF has nothing to protect here:
    // another site cannot make a browser send an Authorization header to us.
    const resolved = opts.resolvePartnerKey ? await opts.resolvePartnerKey(bearer) : { ok: false as const, code: 'partner_key_invalid' as const };
    if (!resolved.ok) {
      if (resolved.code === 'rate_limited') throw new AppError('rate_limited', { retryAfterSeconds: resolved.retryAfterSeconds });
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError(resolved.code);
    }
    // Keys are refused everywhere a route did not open itself to one of their scopes: an
    // endpoint added later is closed to partners until someone decides otherwise.
    const scope = req.routeOptions.config?.partnerKeyScope;
    if (!scope) throw new AppError('partner_key_not_allowed');
    if (!resolved.actor.partnerKey?.scopes.includes(scope)) throw new AppError('partner_key_scope', undefined, { scope });
    req.actor = resolved.actor;
    req.authVia = 'bearer';
  });

  // Authenticate every other request from its session cookie; enforce CSRF on cookie-authenticated writes.
  app.addHook('preHandler', async (req, reply) => {
    if (req.authVia === 'bearer') return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const session = await opts.resolveSession(token);
      if (session) {
        req.actor = session.actor;
        req.authVia = 'cookie';
        req.sessionCsrf = session.csrfToken;
        // Sliding sessions: the browser's copy of the cookie must live as long as the server's row.
        if (session.renewed) setSessionCookie(config, req, reply, token);
      }
    }
    if (req.authVia === 'cookie' && UNSAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !req.sessionCsrf || !safeEqual(sent, req.sessionCsrf)) {
        throw new AppError('csrf_failed');
      }
    }
  });

  app.setErrorHandler((err, req, reply) => sendProblem(req, reply, err));
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET' || isStaticFileRequest(req.url) || !serveWebApp) {
      return sendProblem(req, reply, new AppError('route_not_found'));
    }
    // The web app routes on the client: any other GET gets the app shell.
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      await sql`SELECT 1`.execute(ctx.db);
      return { status: 'ready', engine: ctx.engine.kind };
    } catch (err) {
      req.log.error({ err }, 'readiness check failed');
      return sendProblem(req, reply, new AppError('not_ready'));
    }
  });

  // Document the error shape on every API route; the body itself is written by sendProblem.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || !route.schema || route.schema.hide) return;
    const response = (route.schema.response ?? {}) as Record<string, unknown>;
    route.schema.response = { ...response, '4XX': ProblemSchema, '5XX': ProblemSchema };
  });

  for (const register of opts.modules) await register(app, ctx);

  if (serveWebApp) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: false,
      index: false,
      // Hashed file names under /assets never change: let phones keep them.
      setHeaders: (res, filePath) => {
        if (filePath.includes(`${path.sep}assets${path.sep}`)) {
          res.header('cache-control', 'public, max-age=31536000, immutable');
        } else {
          res.header('cache-control', 'no-cache');
        }
      },
      preCompressed: true,
    });
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html'),
    );
  }

  return app;
}

const STATIC_EXTENSIONS = /\.(js|mjs|css|map|html|png|jpe?g|gif|webp|svg|ico|json|geojson|txt|xml|webmanifest|woff2?|ttf|gz|br|pdf|csv|xlsx)$/i;

/**
 * A request for a file (a missing hashed asset after a deploy must fail as a 404, not receive the
 * HTML shell), as opposed to a page of the web app. Pages may contain dots: /wilayah/32.73.
 */
export function isStaticFileRequest(url: string): boolean {
  const pathname = url.split('?')[0]!;
  return pathname.startsWith('/assets/') || STATIC_EXTENSIONS.test(pathname);
}

export function setSessionCookie(config: Config, req: FastifyRequest, reply: FastifyReply, token: string) {
  const secure = config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && req.protocol === 'https');
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: config.sessionDays * 24 * 60 * 60,
  });
}

/**
 * The token of an `Authorization: Bearer …` header; null without one (other schemes are ignored),
 * '' for a malformed one, so that it is refused rather than silently treated as anonymous.
 */
function bearerToken(header: string | undefined): string | null {
  if (!header || !/^Bearer\b/i.test(header)) return null;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string().describe('Message in the language asked for with Accept-Language (Indonesian by default)'),
    code: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  requestId: string;
  errors?: { path: string; code: string; message: string }[];
  [key: string]: unknown;
}

/** Maps any thrown error to RFC 9457 problem details in the caller's language; never leaks a stack. */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  const locale = req.locale ?? 'id';
  let code: ErrorCode = 'internal';
  let extra: Record<string, unknown> = {};
  let errors: ProblemDetails['errors'];
  let params: Record<string, string | number> | undefined;

  if (err instanceof AppError) {
    code = err.code;
    params = err.params;
    const { errors: fieldErrors, ...rest } = (err.details ?? {}) as { errors?: FieldError[] };
    extra = rest;
    errors = fieldErrors?.map((f) => ({ path: f.path, code: f.code, message: fieldMessage(f.code, locale, f.params) }));
  } else if (hasZodFastifySchemaValidationErrors(err)) {
    code = 'validation_failed';
    const context = (err as { validationContext?: string }).validationContext;
    errors = err.validation.map((v) => ({
      path: [context, v.instancePath.replace(/^\//, '').replaceAll('/', '.')].filter(Boolean).join('.'),
      code: v.message && isFieldErrorCode(v.message) ? v.message : v.keyword,
      message: localiseSchemaMessage(v, locale),
    }));
  } else if (isClientError(err)) {
    const status = (err as { statusCode: number }).statusCode;
    code = status === 413 ? 'payload_too_large' : status === 429 ? 'rate_limited' : status === 404 ? 'route_not_found' : 'bad_request';
  }

  const status = errorStatus(code);
  if (status >= 500) req.log.error({ err }, 'request failed');
  else req.log.info({ code }, 'request rejected');

  const body: ProblemDetails = {
    type: `https://simpul.id/problems/${code.replaceAll('_', '-')}`,
    title: errorMessage(code, 'en', params),
    status,
    detail: errorMessage(code, locale, params),
    code,
    instance: req.url.split('?')[0],
    requestId: String(req.id),
    ...extra,
  };
  if (errors) body.errors = errors;
  const retryAfter = (extra as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply
    .code(status)
    .header('content-language', locale)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send(body);
}

const zodIndonesian = z.locales.id();

/** Schema messages are our field codes (translated from our catalogue) or Zod's own English (translated by Zod's locale). */
function localiseSchemaMessage(v: { keyword: string; message?: string; params: Record<string, unknown> }, locale: Locale): string {
  const message = v.message ?? '';
  if (isFieldErrorCode(message)) return fieldMessage(message, locale);
  if (locale === 'en') return message;
  const translated = zodIndonesian.localeError({ ...v.params, code: v.keyword, message } as never);
  const text = typeof translated === 'string' ? translated : translated?.message;
  return text || message;
}

function isClientError(err: unknown): boolean {
  const status = (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
