import path from 'node:path';
import { z } from 'zod';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  SIMPUL_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  // At least 2: start-up holds one connection for an advisory lock while it migrates on another.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Behind a reverse proxy: the number of proxy hops to trust ("1" for one nginx), or the proxies'
   * addresses ("127.0.0.1,10.0.0.5"). Never "true": that lets any client pick its own address.
   */
  SIMPUL_TRUST_PROXY: z
    .string()
    .regex(/^(\d{1,2}|[0-9a-fA-F:.,/ ]+)$/, 'a hop count or a comma-separated list of proxy addresses')
    .default('0'),
  SIMPUL_COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  SIMPUL_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  SIMPUL_WEB_DIR: z.string().optional(),
  /** The address people open Simpul at (https://simpul.example), for absolute links sent outside the app. */
  SIMPUL_PUBLIC_URL: z
    .string()
    .url()
    .refine((v) => /^https?:\/\//.test(v), 'an http:// or https:// address')
    .optional(),
  /** Spreadsheets larger than this are validated and committed by a background job. */
  SIMPUL_IMPORT_BACKGROUND_BYTES: z.coerce.number().int().min(0).default(1024 * 1024),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  poolSize: number;
  logLevel: string;
  /** Fastify's trustProxy: false, a hop count, or a list of proxy addresses. */
  trustProxy: false | number | string[];
  cookieSecure: 'auto' | 'always' | 'never';
  sessionDays: number;
  webDir: string;
  /** Origin (and optional path prefix) for absolute links, without a trailing slash; unset: the request's own origin. */
  publicUrl?: string;
  importBackgroundBytes: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.SIMPUL_DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    poolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.SIMPUL_TRUST_PROXY),
    cookieSecure: e.SIMPUL_COOKIE_SECURE,
    sessionDays: e.SIMPUL_SESSION_DAYS,
    webDir: path.resolve(e.SIMPUL_WEB_DIR ?? 'dist/web'),
    publicUrl: e.SIMPUL_PUBLIC_URL ? e.SIMPUL_PUBLIC_URL.replace(/\/+$/, '') : undefined,
    importBackgroundBytes: e.SIMPUL_IMPORT_BACKGROUND_BYTES,
    ...overrides,
  };
}

function parseTrustProxy(value: string): false | number | string[] {
  if (/^\d+$/.test(value)) return Number(value) > 0 ? Number(value) : false;
  return value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}
