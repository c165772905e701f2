import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AlipayCertificateError, certificateSn, rootCertificateSn } from '@shop/alipay';
import { parseDatabaseLocation, type DbLocation } from '@shop/db';
import {
  DEFAULT_HOST,
  DEFAULT_PORTS,
  DEV_APP_ID,
  DEV_MESSAGE_TEMPLATES,
  type MessageTemplateKind,
} from '@shop/dev-identity';
import { z } from 'zod';
import { parseTrustedProxies } from './http/client-address';

/**
 * The API's configuration, parsed from process.env once. Nothing else reads process.env (an ESLint rule enforces it).
 * Development needs no variables at all: keys are generated under DATA_DIR and the sandbox is the gateway. In
 * production the Alipay keys, gateway and encryption keys are required and there are no generated defaults.
 */

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().min(1);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** An Alipay user_template_id. */
const TEMPLATE_ID = /^[A-Za-z0-9_=+/-]{1,128}$/;

type CertName = 'ALIPAY_APP_CERT' | 'ALIPAY_PUBLIC_CERT' | 'ALIPAY_ROOT_CERT';
const CERT_NAMES: readonly CertName[] = ['ALIPAY_APP_CERT', 'ALIPAY_PUBLIC_CERT', 'ALIPAY_ROOT_CERT'];

export interface AlipayCertificatesPem {
  appCert: string;
  alipayCert: string;
  alipayRootCert: string;
}

/**
 * Reads certificate mode's settings: each certificate inline or from a file (not both), all three or none, not
 * beside ALIPAY_PUBLIC_KEY, and each one a certificate whose SN can be computed (so a wrong file fails here, at
 * start, naming the variable). Returns undefined in public-key mode and null after reporting a problem.
 */
/** ALIPAY_MESSAGE_TEMPLATE_* by kind; outside production an unset one is the sandbox's development template. */
function messageTemplates(
  env: {
    ALIPAY_MESSAGE_TEMPLATE_PAYMENT?: string | undefined;
    ALIPAY_MESSAGE_TEMPLATE_SHIPPING?: string | undefined;
    ALIPAY_MESSAGE_TEMPLATE_REFUND?: string | undefined;
  },
  production: boolean,
): Partial<Record<MessageTemplateKind, string>> {
  const dev = (kind: MessageTemplateKind) =>
    production ? undefined : DEV_MESSAGE_TEMPLATES.find((t) => t.kind === kind)?.id;
  const chosen: Array<[MessageTemplateKind, string | undefined]> = [
    ['payment', env.ALIPAY_MESSAGE_TEMPLATE_PAYMENT ?? dev('payment')],
    ['shipping', env.ALIPAY_MESSAGE_TEMPLATE_SHIPPING ?? dev('shipping')],
    ['refund', env.ALIPAY_MESSAGE_TEMPLATE_REFUND ?? dev('refund')],
  ];
  return Object.fromEntries(chosen.filter((entry) => entry[1] !== undefined));
}

function readCertificates(
  env: Partial<
    Record<CertName | `${CertName}_FILE` | 'ALIPAY_PUBLIC_KEY' | 'ALIPAY_PUBLIC_KEY_FILE', string>
  >,
  ctx: z.RefinementCtx,
): AlipayCertificatesPem | undefined | null {
  const problem = (path: string, message: string): null => {
    ctx.issues.push({ code: 'custom', message, path: [path], input: undefined });
    return null;
  };
  const texts: Partial<Record<CertName, string>> = {};
  for (const name of CERT_NAMES) {
    const inline = env[name];
    const file = env[`${name}_FILE`];
    if (inline && file) return problem(name, `set ${name} or ${name}_FILE, not both`);
    if (file) {
      if (!existsSync(file)) return problem(`${name}_FILE`, `no such file: ${file}`);
      texts[name] = readFileSync(file, 'utf8');
    } else if (inline) {
      texts[name] = inline;
    }
  }
  const given = CERT_NAMES.filter((name) => texts[name] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < CERT_NAMES.length) {
    const absent = CERT_NAMES.filter((name) => texts[name] === undefined).map((n) => `${n}(_FILE)`);
    return problem(absent[0]!, `certificate mode needs all three certificates; missing ${absent.join(', ')}`);
  }
  if (env.ALIPAY_PUBLIC_KEY || env.ALIPAY_PUBLIC_KEY_FILE) {
    return problem(
      'ALIPAY_PUBLIC_KEY',
      "certificate mode takes Alipay's key from ALIPAY_PUBLIC_CERT: unset ALIPAY_PUBLIC_KEY(_FILE)",
    );
  }
  const pem = texts as Record<CertName, string>;
  for (const name of CERT_NAMES) {
    try {
      if (name === 'ALIPAY_ROOT_CERT') rootCertificateSn(pem[name], name);
      else certificateSn(pem[name], name);
    } catch (error) {
      if (!(error instanceof AlipayCertificateError)) throw error;
      return problem(name, error.message);
    }
  }
  return {
    appCert: pem.ALIPAY_APP_CERT,
    alipayCert: pem.ALIPAY_PUBLIC_CERT,
    alipayRootCert: pem.ALIPAY_ROOT_CERT,
  };
}

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    API_HOST: z.string().default(DEFAULT_HOST),
    API_PORT: port.default(DEFAULT_PORTS.api),
    /** Where shoppers' browsers and Alipay reach this API (notify_url is built from it). */
    API_PUBLIC_URL: z.url().optional(),
    DATA_DIR: z.string().default(resolve(REPO_ROOT, '.data')),
    /**
     * The database: `postgresql://user:password@host:port/db` (PostgreSQL 15+), or `file:/path/shop.db` (SQLite).
     * Unset: DATABASE_FILE, else <DATA_DIR>/shop.db (SQLite).
     */
    DATABASE_URL: z.string().optional(),
    /** A SQLite file path; the older spelling of DATABASE_URL=file:<path>. */
    DATABASE_FILE: z.string().optional(),
    /** PostgreSQL: connections this process keeps in its pool (Prisma and the money paths share it). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: comma-separated IPv4 and IPv6
     * addresses and CIDRs (`127.0.0.1,10.0.0.0/8,fd00::/8`). Default none: the client is the socket's peer and the
     * headers are ignored (http/client-address.ts).
     */
    TRUSTED_PROXIES: z.string().default(''),
    /**
     * This process's name in GET /healthz, so whoever started it can tell its answer from another program's on the
     * same port (scripts/src/system.ts passes a random one). Unset: a random id per process.
     */
    API_INSTANCE_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore or dash; at most 64')
      .default(() => randomUUID()),
    /**
     * The bearer token a Prometheus scraper sends to GET /metrics (`Authorization: Bearer <token>`). Unset: /metrics
     * answers 404. At least 32 characters of letters, digits and `-._~+/=` (e.g. `openssl rand -base64 32`).
     */
    METRICS_TOKEN: z
      .string()
      .regex(/^[A-Za-z0-9._~+/=-]{32,512}$/, 'at least 32 letters, digits or -._~+/=')
      .optional(),
    /** Comma-separated origins allowed by CORS (the shop and admin H5 builds). */
    CORS_ORIGINS: z.string().optional(),

    ALIPAY_APP_ID: z
      .string()
      .regex(/^\d{16}$/)
      .default(DEV_APP_ID),
    ALIPAY_GATEWAY: z.url().optional(),
    /** App private key (PEM or bare base64), or a path to it. */
    ALIPAY_APP_PRIVATE_KEY: z.string().optional(),
    ALIPAY_APP_PRIVATE_KEY_FILE: z.string().optional(),
    /** Alipay's public key (bare base64 from the console, or PEM), or a path to it. */
    ALIPAY_PUBLIC_KEY: z.string().optional(),
    ALIPAY_PUBLIC_KEY_FILE: z.string().optional(),
    /**
     * During a switch of Alipay's public key: the other key (the new one before Alipay signs with it, or the old one
     * after ALIPAY_PUBLIC_KEY became the new one), inline or as a path. Notifies, returns and responses verify under
     * either. Public-key mode only: certificate mode rotates through alipay_cert_sn.
     */
    ALIPAY_PUBLIC_KEY_NEXT: z.string().optional(),
    ALIPAY_PUBLIC_KEY_NEXT_FILE: z.string().optional(),
    /**
     * Certificate mode (公钥证书模式): the three certificates Alipay's console hands out, as PEM text or a path to the
     * file (appCertPublicKey_<appId>.crt, alipayCertPublicKey_RSA2.crt, alipayRootCert.crt). All three, or none;
     * they replace ALIPAY_PUBLIC_KEY.
     */
    ALIPAY_APP_CERT: z.string().optional(),
    ALIPAY_APP_CERT_FILE: z.string().optional(),
    ALIPAY_PUBLIC_CERT: z.string().optional(),
    ALIPAY_PUBLIC_CERT_FILE: z.string().optional(),
    ALIPAY_ROOT_CERT: z.string().optional(),
    ALIPAY_ROOT_CERT_FILE: z.string().optional(),
    /** When set, notifies must carry this seller_id. */
    ALIPAY_SELLER_ID: z.string().optional(),
    ALIPAY_TIMEOUT_MS: positiveMs.default(10_000),
    /** Apps in open-id mode pay with buyer_open_id. */
    ALIPAY_ID_MODE: z.enum(['user_id', 'open_id']).default('user_id'),
    ALIPAY_PRODUCT_CODE: z.string().default('JSAPI_PAY'),

    /** Address encryption keys: "keyId:base64key,keyId2:base64key2"; the first encrypts, all decrypt. */
    ADDRESS_ENCRYPTION_KEYS: z.string().optional(),

    SESSION_TTL_MS: positiveMs.default(7 * 24 * 60 * 60 * 1000),
    ADMIN_SESSION_TTL_MS: positiveMs.default(12 * 60 * 60 * 1000),
    /** Admin sign-in throttling: failures counted over this window (shared by every API process). */
    ADMIN_SIGNIN_WINDOW_MS: positiveMs.default(15 * 60 * 1000),
    /** Failed sign-ins per username within the window before even the right password is refused for a while. */
    ADMIN_SIGNIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).default(5),
    /** Failed sign-ins per client address within the window (any usernames). */
    ADMIN_SIGNIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(20),
    ORDER_TTL_MS: positiveMs.default(15 * 60 * 1000),
    /**
     * How long the shop shows one QR code (alipay.trade.precreate) before offering a new one; never past the order's
     * expiry. A code nobody scanned is closed at Alipay before its replacement is made.
     */
    QR_CODE_TTL_MS: positiveMs.default(5 * 60 * 1000),
    /** A shipped order the shopper has not confirmed completes by itself this many days after shipping. */
    AUTO_COMPLETE_DAYS: z.coerce.number().int().min(1).max(60).default(10),
    /** What 联系商家 shows the shopper. */
    SHOP_NAME: z.string().default('支付宝小程序商城'),
    SHOP_SERVICE_PHONE: z.string().default('400-800-2026'),
    SHOP_SERVICE_HOURS: z.string().default('每天 9:00-21:00'),
    /** Where uploaded photos are kept (the disk storage); default DATA_DIR/media. */
    MEDIA_DIR: z.string().optional(),
    /** Session creation attempts allowed per client per minute. */
    SESSION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),

    JOBS_ENABLED: bool.default(true),
    /** How often each background job wakes up. */
    JOB_INTERVAL_MS: positiveMs.default(5_000),
    /**
     * How long a job's claim on one item (an order, a bill date) lasts before another process may take the item. The
     * holder renews it every third of this while it works, so it only runs out when the holder is gone.
     */
    JOB_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
    /**
     * On SIGTERM or SIGINT: how long requests in flight and job items under way may take to finish before the
     * process exits anyway.
     */
    SHUTDOWN_TIMEOUT_MS: positiveMs.default(10_000),
    /** How long a payment stays open before the recovery job first asks Alipay about it. */
    PAYMENT_QUERY_DELAY_MS: positiveMs.default(60_000),
    /** The longest wait between two recovery queries of one payment or refund (the wait doubles up to this). */
    PAYMENT_QUERY_MAX_INTERVAL_MS: positiveMs.default(30 * 60 * 1000),
    /**
     * How long a refund whose outcome is not known yet waits before the recovery job asks Alipay about it and, if
     * Alipay has no record of it, sends it again with the same out_request_no.
     */
    REFUND_RETRY_DELAY_MS: positiveMs.default(60_000),
    /** The daily reconciliation job (Alipay's bill for the previous China day against the ledger). */
    RECONCILE_ENABLED: bool.default(true),
    /** From this China-time hour (0-23) on, the job reconciles the previous day; Alipay's bills are ready by then. */
    RECONCILE_AT_HOUR: z.coerce.number().int().min(0).max(23).default(9),
    /** How long the job waits before trying a FAILED day again (a bill not ready yet, a network failure). */
    RECONCILE_RETRY_MS: positiveMs.default(30 * 60 * 1000),
    /** Deadline for downloading one bill file. */
    RECONCILE_DOWNLOAD_TIMEOUT_MS: positiveMs.default(60_000),
    SEED_DEMO_DATA: bool.optional(),
    /**
     * Scheduled backups (modules/backup): one every this many minutes (fractions allowed), taken by one API process
     * however many run. 0, the default, takes none.
     */
    BACKUP_INTERVAL_MINUTES: z.coerce.number().min(0).max(525_600).default(0),
    /** Where scheduled backups are written; default DATA_DIR/backups. */
    BACKUP_DIR: z.string().optional(),
    /** How many scheduled backups BACKUP_DIR keeps; older ones are deleted after each new one. */
    BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
    /**
     * How often the outbox worker (modules/outbox) writes new events' deliveries and sends those due: webhooks to
     * the merchant's endpoints and subscription messages to shoppers.
     */
    OUTBOX_INTERVAL_MS: positiveMs.default(1_000),
    /** Deadline for one webhook request (connect, send and the receiver's answer). */
    WEBHOOK_TIMEOUT_MS: positiveMs.default(10_000),
    /** The wait before a failed delivery's second try; it doubles with each try, up to the next setting. */
    WEBHOOK_RETRY_FIRST_MS: positiveMs.default(10_000),
    WEBHOOK_RETRY_MAX_INTERVAL_MS: positiveMs.default(60 * 60 * 1000),
    /** How long a delivery keeps being tried (from its creation, or an owner's "send again"); then FAILED. */
    WEBHOOK_RETRY_WINDOW_MS: positiveMs.default(24 * 60 * 60 * 1000),
    /** After an owner rotates an endpoint's secret, how long the previous one still signs beside the new one. */
    WEBHOOK_SECRET_OVERLAP_MS: positiveMs.default(24 * 60 * 60 * 1000),
    /**
     * The Alipay subscription message templates (user_template_id) the shop asks shoppers to agree to, by kind.
     * Outside production each defaults to the sandbox's development template; unset in production, the shop sends no
     * message of that kind.
     */
    ALIPAY_MESSAGE_TEMPLATE_PAYMENT: z.string().regex(TEMPLATE_ID).optional(),
    ALIPAY_MESSAGE_TEMPLATE_SHIPPING: z.string().regex(TEMPLATE_ID).optional(),
    ALIPAY_MESSAGE_TEMPLATE_REFUND: z.string().regex(TEMPLATE_ID).optional(),
  })
  .transform((env, ctx) => {
    const production = env.NODE_ENV === 'production';
    let database: DbLocation;
    try {
      database = parseDatabaseLocation(
        env.DATABASE_URL ?? resolve(env.DATABASE_FILE ?? resolve(env.DATA_DIR, 'shop.db')),
      );
    } catch (error) {
      ctx.issues.push({
        code: 'custom',
        message: (error as Error).message,
        path: ['DATABASE_URL'],
        input: env.DATABASE_URL,
      });
      return z.NEVER;
    }
    let trustedProxies: string[];
    try {
      trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES);
    } catch (error) {
      ctx.issues.push({
        code: 'custom',
        message: `${(error as Error).message} (expected comma-separated addresses and CIDRs, e.g. 127.0.0.1,10.0.0.0/8)`,
        path: ['TRUSTED_PROXIES'],
        input: env.TRUSTED_PROXIES,
      });
      return z.NEVER;
    }
    const certificates = readCertificates(env, ctx);
    if (certificates === null) return z.NEVER;
    const nextKeyProblem =
      env.ALIPAY_PUBLIC_KEY_NEXT && env.ALIPAY_PUBLIC_KEY_NEXT_FILE
        ? 'set ALIPAY_PUBLIC_KEY_NEXT or ALIPAY_PUBLIC_KEY_NEXT_FILE, not both'
        : env.ALIPAY_PUBLIC_KEY_NEXT_FILE && !existsSync(env.ALIPAY_PUBLIC_KEY_NEXT_FILE)
          ? `no such file: ${env.ALIPAY_PUBLIC_KEY_NEXT_FILE}`
          : certificates && (env.ALIPAY_PUBLIC_KEY_NEXT || env.ALIPAY_PUBLIC_KEY_NEXT_FILE)
            ? "certificate mode rotates Alipay's key through its certificate (alipay_cert_sn): unset ALIPAY_PUBLIC_KEY_NEXT(_FILE)"
            : null;
    if (nextKeyProblem) {
      ctx.issues.push({
        code: 'custom',
        message: nextKeyProblem,
        path: ['ALIPAY_PUBLIC_KEY_NEXT'],
        input: undefined,
      });
      return z.NEVER;
    }
    return {
      ...env,
      production,
      /** Certificate mode's three certificates as PEM text; undefined in public-key mode. */
      ALIPAY_CERTIFICATES: certificates,
      /** The parsed entries of TRUSTED_PROXIES (empty: no proxy is trusted). */
      TRUSTED_PROXIES: trustedProxies,
      DATA_DIR: resolve(env.DATA_DIR),
      MEDIA_DIR: resolve(env.MEDIA_DIR ?? resolve(env.DATA_DIR, 'media')),
      BACKUP_DIR: resolve(env.BACKUP_DIR ?? resolve(env.DATA_DIR, 'backups')),
      /** Where the shop's data lives, and on which engine. */
      DATABASE: database,
      DATABASE_URL: database.url,
      /** Defaults to http://API_HOST:<listening port> once the server listens. */
      API_PUBLIC_URL: env.API_PUBLIC_URL?.replace(/\/$/, ''),
      ALIPAY_GATEWAY: env.ALIPAY_GATEWAY ?? `http://${DEFAULT_HOST}:${DEFAULT_PORTS.sandbox}/gateway.do`,
      CORS_ORIGINS: (
        env.CORS_ORIGINS ??
        `http://${DEFAULT_HOST}:${DEFAULT_PORTS.shop},http://${DEFAULT_HOST}:${DEFAULT_PORTS.admin},` +
          `http://localhost:${DEFAULT_PORTS.shop},http://localhost:${DEFAULT_PORTS.admin}`
      )
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      SEED_DEMO_DATA: env.SEED_DEMO_DATA ?? !production,
      /** The subscription message templates by kind (the development ones outside production unless set). */
      MESSAGE_TEMPLATES: messageTemplates(env, production),
    };
  })
  .superRefine((env, ctx) => {
    if (!env.production) return;
    const missing: string[] = [];
    if (!env.ALIPAY_APP_PRIVATE_KEY && !env.ALIPAY_APP_PRIVATE_KEY_FILE)
      missing.push('ALIPAY_APP_PRIVATE_KEY(_FILE)');
    if (!env.ALIPAY_PUBLIC_KEY && !env.ALIPAY_PUBLIC_KEY_FILE && !env.ALIPAY_CERTIFICATES)
      missing.push(
        'ALIPAY_PUBLIC_KEY(_FILE) or the three certificates (ALIPAY_APP_CERT, ALIPAY_PUBLIC_CERT, ALIPAY_ROOT_CERT)',
      );
    if (!env.ADDRESS_ENCRYPTION_KEYS) missing.push('ADDRESS_ENCRYPTION_KEYS');
    if (!env.API_PUBLIC_URL?.startsWith('https://')) missing.push('API_PUBLIC_URL (https)');
    for (const name of missing) {
      ctx.addIssue({ code: 'custom', message: `${name} is required in production`, path: [name] });
    }
  });

export type Env = z.output<typeof EnvSchema>;

/** Parses an environment (process.env by default); throws one readable error listing every problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid API configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
