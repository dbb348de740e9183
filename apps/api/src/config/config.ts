/**
 * Environment, validated once at boot. A bad value stops start-up with a message that
 * names the variable.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const urlList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url('must be a comma-separated list of origins like http://localhost:3000')));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number('must be a port number').int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number('must be a port number').int().min(1).max(65535).default(54329),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  ALLOWED_ORIGINS: urlList.optional(),
  SESSION_TTL_HOURS: z.coerce
    .number('must be a number of hours')
    .positive()
    .max(24 * 90)
    .default(12),
  COOKIE_SECURE: bool.default(false),
  GOJS_LICENSE_KEY: z.string().default(''),
  SEED_DEMO: bool.default(true),
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default('signoff-demo'),
  LOGIN_RATE_LIMIT: z.coerce.number('must be a number').int().positive().default(20),
  WEB_DIST: z.string().optional(),
  URGE_INTERVAL_MINUTES: z.coerce
    .number('must be a number of minutes')
    .min(0)
    .max(24 * 60)
    .default(10),
  SSE_HEARTBEAT_MS: z.coerce.number('must be milliseconds').int().min(100).max(120_000).default(15_000),
  REVALIDATE_INTERVAL_MS: z.coerce.number('must be milliseconds').int().min(100).max(60_000).default(2_000),
  TIMER_POLL_MS: z.coerce.number('must be milliseconds').int().min(50).max(60_000).default(1_000),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('warn'),
});

export type AppConfig = Omit<z.infer<typeof envSchema>, 'ALLOWED_ORIGINS' | 'WEB_DIST'> & {
  ALLOWED_ORIGINS: string[];
  WEB_DIST: string;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (`DATABASE_URL=`) means "not set", as in most shells' habits.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    ALLOWED_ORIGINS: c.ALLOWED_ORIGINS ?? [
      `http://localhost:${c.PORT}`,
      `http://127.0.0.1:${c.PORT}`,
      'http://localhost:5173',
      'http://127.0.0.1:5173',
    ],
    WEB_DIST: c.WEB_DIST ?? path.resolve(__dirname, '../../../web/dist'),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
