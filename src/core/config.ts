/**
 * The one place that reads the environment. It validates every variable, reports all the bad ones
 * at once (so an operator fixes a deployment in one go), and returns a frozen, typed object.
 */
import path from 'node:path';

export type Engine = 'pglite' | 'postgres';
export type Environment = 'development' | 'production';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly engine: Engine;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** production refuses to start without an instance key; development generates one. */
  readonly environment: Environment;
  /** The instance key, base64 of at least 32 random bytes (CAST_KEY, or the deprecated CAST_SECRET). */
  readonly instanceKey: string | undefined;
  /** A file holding the instance key (CAST_KEY_FILE); neither set: `instance.key` under dataDir (development only). */
  readonly instanceKeyFile: string | undefined;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  readonly sessionTtlHours: number;
  readonly runJobs: boolean;
  readonly metricsToken: string | undefined;
  /** Multiplies every per-address rate limit; raise it only for load tests on loopback. */
  readonly rateLimitScale: number;
  /** An https tile template (`…/{z}/{x}/{y}.png`) for maps instead of the offline basemap; its origin joins the CSP img-src. */
  readonly mapTileUrl: string | undefined;
  /** Credit the tile provider requires, shown on the map as text. */
  readonly mapTileAttribution: string | undefined;
  /** Where "Leave this site quickly" goes on reporting pages: a neutral page that draws no attention. */
  readonly quickExitUrl: string;
  /** The public map shows a cell only when it holds at least this many reports (CAST_PUBLIC_MAP_K, 5 or more). */
  readonly publicMapK: number;
  /** The public map counts only reports at least this many days old (CAST_PUBLIC_MAP_DELAY_DAYS, 7 or more). */
  readonly publicMapDelayDays: number;
  /** How old, in seconds, the per-cell counts behind a coordinator's or member's map may be (0: always fresh). */
  readonly mapCacheSeconds: number;
  /** Seconds without a heartbeat after which a running job counts as lost and runs again (CAST_JOB_HEARTBEAT_SECONDS, 10–600). */
  readonly jobHeartbeatSeconds: number;
  /** Newsletter messages one process sends per second at most (CAST_NEWSLETTER_RATE). */
  readonly newsletterRatePerSecond: number;
  /** Shared secret the mail provider's bounce webhook and inbound mail pipe send (CAST_NEWSLETTER_WEBHOOK_SECRET); unset: both refuse. */
  readonly newsletterWebhookSecret: string | undefined;
  /** Stripe secret key (STRIPE_SECRET_KEY, `sk_test_…` or `sk_live_…`); without it donations are not taken online. */
  readonly stripeSecretKey: string | undefined;
  /** Signing secret of the Stripe webhook endpoint (STRIPE_WEBHOOK_SECRET, `whsec_…`); set with the secret key. */
  readonly stripeWebhookSecret: string | undefined;
  /** Another address for Stripe's API (STRIPE_API_URL): a proxy, or a local stand-in in tests. Default: Stripe's own. */
  readonly stripeApiUrl: string | undefined;
  /** A chocolate action e-mail is held for review when it is near-identical to at least this many earlier ones (CHOCOLATE_HOLD_AFTER). */
  readonly chocolateHoldAfter: number;
  /** Retention periods in days (decision 0018), enforced by the daily retention job. */
  readonly retention: RetentionPeriods;
}

export interface RetentionPeriods {
  /** Reports not in a network, a disclosure or a confirmed link are reduced to statistics this long after the day received (CAST_RETENTION_REPORT_DAYS). */
  readonly reportDays: number;
  /** Declaration signatures never confirmed: personal data erased this long after the link expired (CAST_RETENTION_UNCONFIRMED_DAYS). */
  readonly unconfirmedDays: number;
  /** Newsletter subscribers on no list (or suppressed): deleted this long after (CAST_RETENTION_UNSUBSCRIBED_DAYS). */
  readonly unsubscribedDays: number;
  /** Event sign-ups: deleted this long after the event ended (CAST_RETENTION_EVENT_DAYS). */
  readonly eventDays: number;
  /** Chocolate action e-mails: the supporter and their letter erased this long after the last of its messages was sent or rejected (CAST_RETENTION_CHOCOLATE_DAYS). */
  readonly chocolateDays: number;
  /** Gift Aid declarations: deleted this many years after the end of the accounting period of the last gift they cover (CAST_RETENTION_GIFT_AID_YEARS; HMRC's six at least). */
  readonly giftAidYears: number;
  /** The last day of the charity's accounting year as MM-DD (CAST_RETENTION_ACCOUNTING_YEAR_END); unset, a gift's period is taken to end a year after it. */
  readonly accountingYearEnd: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** A weather page: common, dull to anyone looking over a shoulder, and on the reporter's own history as an ordinary visit. */
const DEFAULT_QUICK_EXIT_URL = 'https://www.bbc.com/weather';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * A tile template the CSP can name exactly: https, one fixed host (no `{s}` subdomains), and only the
 * {z}/{x}/{y} placeholders Leaflet fills in.
 */
function isTileTemplate(raw: string): boolean {
  if (!['{z}', '{x}', '{y}'].every((part) => raw.includes(part))) return false;
  if (/\{(?![zxy]\})[^}]*\}/.test(raw)) return false;
  try {
    const parsed = new URL(raw.replace(/\{([zxy])\}/g, '0'));
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && !raw.slice(0, raw.indexOf(parsed.host) + parsed.host.length).includes('{');
  } catch {
    return false;
  }
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const decimal = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
      return raw;
    } catch {
      problems.push(`${name} is not a valid URL`);
      return undefined;
    }
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);

  const mailFrom = env.MAIL_FROM || 'CAST <no-reply@localhost>';
  if (!/^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(mailFrom)) problems.push('MAIL_FROM must be an e-mail address, optionally with a name');

  const environment = environmentOf(env, problems);
  const { instanceKey, instanceKeyFile } = instanceKeySettings(env, environment, problems);

  const mapTileUrl = env.CAST_MAP_TILE_URL || undefined;
  if (mapTileUrl !== undefined && !isTileTemplate(mapTileUrl)) {
    problems.push('CAST_MAP_TILE_URL must be an https:// URL on one host with {z}, {x} and {y} and no other placeholders (e.g. https://tiles.example.org/{z}/{x}/{y}.png)');
  }
  const mapTileAttribution = env.CAST_MAP_TILE_ATTRIBUTION || undefined;
  if (mapTileAttribution !== undefined && mapTileAttribution.length > 300) problems.push('CAST_MAP_TILE_ATTRIBUTION must be at most 300 characters');

  const quickExitUrl = url('CAST_QUICK_EXIT_URL', ['https:', 'http:']) ?? DEFAULT_QUICK_EXIT_URL;

  // Both only upward: below 5 a cell could point at one person; under a week, at one night's report.
  const publicMapK = integer('CAST_PUBLIC_MAP_K', 5, 5, 1000);
  if (problems.some((p) => p.startsWith('CAST_PUBLIC_MAP_K'))) problems.push('CAST_PUBLIC_MAP_K may only raise the public map threshold: at least 5 reports per cell');
  const publicMapDelayDays = integer('CAST_PUBLIC_MAP_DELAY_DAYS', 7, 7, 3650);
  const mapCacheSeconds = integer('CAST_MAP_CACHE_SECONDS', 5, 0, 60);
  if (problems.some((p) => p.startsWith('CAST_PUBLIC_MAP_DELAY_DAYS'))) problems.push('CAST_PUBLIC_MAP_DELAY_DAYS may only lengthen the public map delay: at least 7 days');

  const { stripeSecretKey, stripeWebhookSecret } = stripeSettings(env, problems);
  const stripeApiUrl = url('STRIPE_API_URL', ['https:', 'http:']);

  const newsletterWebhookSecret = env.CAST_NEWSLETTER_WEBHOOK_SECRET || undefined;
  if (newsletterWebhookSecret !== undefined && newsletterWebhookSecret.length < 24) problems.push('CAST_NEWSLETTER_WEBHOOK_SECRET must be at least 24 characters (try: openssl rand -base64 24)');

  // Over https the browser keeps Secure cookies anyway: turning the flag off there only lets a
  // session cookie leak over a plain-http request, so a production instance may not.
  const cookieSecure = boolean('COOKIE_SECURE', true);
  if (environment === 'production' && !cookieSecure && publicUrl.startsWith('https:')) problems.push('COOKIE_SECURE=false is refused in production with an https PUBLIC_URL: session cookies must be Secure');

  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: Config = {
    port,
    host,
    publicUrl,
    dataDir: path.resolve(env.CAST_DATA_DIR || 'data'),
    databaseUrl,
    engine: databaseUrl ? 'postgres' : 'pglite',
    smtpUrl,
    mailFrom,
    environment,
    instanceKey,
    instanceKeyFile,
    cookieSecure,
    trustProxy: boolean('TRUST_PROXY', false),
    logLevel,
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    sessionTtlHours: integer('SESSION_TTL_HOURS', 12, 1, 24 * 90),
    runJobs: boolean('CAST_RUN_JOBS', true),
    metricsToken: env.METRICS_TOKEN || undefined,
    // Below 1 tightens every per-address limit (under attack; tests use it to reach limits quickly).
    rateLimitScale: decimal('RATE_LIMIT_SCALE', 1, 0.01, 100_000),
    mapTileUrl: problems.some((p) => p.startsWith('CAST_MAP_TILE_URL')) ? undefined : mapTileUrl,
    mapTileAttribution,
    quickExitUrl,
    publicMapK,
    publicMapDelayDays,
    mapCacheSeconds,
    jobHeartbeatSeconds: integer('CAST_JOB_HEARTBEAT_SECONDS', 30, 10, 600),
    newsletterRatePerSecond: integer('CAST_NEWSLETTER_RATE', 100, 1, 100_000),
    newsletterWebhookSecret,
    stripeSecretKey,
    stripeWebhookSecret,
    stripeApiUrl,
    chocolateHoldAfter: integer('CHOCOLATE_HOLD_AFTER', 20, 1, 1_000_000),
    retention: retentionPeriods(env, integer, problems),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * Retention periods. A report is kept at least 30 days (below that a report could be purged before
 * its group has looked at it); at most 100 years, so a typo is caught rather than kept for ever.
 * Gift Aid records are kept at least six years: HMRC's minimum, which no setting may shorten.
 */
function retentionPeriods(env: Env, integer: (name: string, fallback: number, min: number, max: number) => number, problems: string[]): RetentionPeriods {
  const reportDays = integer('CAST_RETENTION_REPORT_DAYS', 730, 30, 36_500);
  if (problems.some((p) => p.startsWith('CAST_RETENTION_REPORT_DAYS'))) problems.push('CAST_RETENTION_REPORT_DAYS is how many days a report keeps its details (default 730, two years; at least 30)');
  const giftAidYears = integer('CAST_RETENTION_GIFT_AID_YEARS', 6, 6, 100);
  if (problems.some((p) => p.startsWith('CAST_RETENTION_GIFT_AID_YEARS'))) problems.push('CAST_RETENTION_GIFT_AID_YEARS may only lengthen how long Gift Aid declarations are kept: HMRC requires six years after the accounting period');
  const accountingYearEnd = env.CAST_RETENTION_ACCOUNTING_YEAR_END || undefined;
  if (accountingYearEnd !== undefined && !isYearEnd(accountingYearEnd)) problems.push(`CAST_RETENTION_ACCOUNTING_YEAR_END must be the last day of the accounting year as MM-DD, e.g. 03-31 (29 February is not accepted: use 02-28) (got "${accountingYearEnd}")`);
  return Object.freeze({
    reportDays,
    unconfirmedDays: integer('CAST_RETENTION_UNCONFIRMED_DAYS', 30, 1, 3650),
    unsubscribedDays: integer('CAST_RETENTION_UNSUBSCRIBED_DAYS', 30, 1, 3650),
    eventDays: integer('CAST_RETENTION_EVENT_DAYS', 90, 1, 3650),
    chocolateDays: integer('CAST_RETENTION_CHOCOLATE_DAYS', 90, 1, 3650),
    giftAidYears,
    accountingYearEnd: accountingYearEnd !== undefined && isYearEnd(accountingYearEnd) ? accountingYearEnd : undefined,
  });
}

/** A day of a year that every year has: MM-DD, not 02-29. */
function isYearEnd(text: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [month, day] = [Number(match[1]), Number(match[2])];
  // 2001 is not a leap year: 02-29 rolls over and is refused like 04-31.
  const date = new Date(Date.UTC(2001, month - 1, day));
  return month >= 1 && month <= 12 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Both Stripe settings or neither: a key without its webhook secret would take money it never hears about. */
function stripeSettings(env: Env, problems: string[]): { stripeSecretKey: string | undefined; stripeWebhookSecret: string | undefined } {
  const stripeSecretKey = env.STRIPE_SECRET_KEY || undefined;
  const stripeWebhookSecret = env.STRIPE_WEBHOOK_SECRET || undefined;
  if (stripeSecretKey !== undefined && !/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(stripeSecretKey)) problems.push('STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…)');
  if (stripeWebhookSecret !== undefined && !/^whsec_[A-Za-z0-9+/=]+$/.test(stripeWebhookSecret)) problems.push('STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…)');
  if ((stripeSecretKey === undefined) !== (stripeWebhookSecret === undefined)) problems.push('set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET together, or neither');
  return { stripeSecretKey, stripeWebhookSecret };
}

function environmentOf(env: Env, problems: string[]): Environment {
  const raw = env.CAST_ENV || (env.NODE_ENV === 'production' ? 'production' : 'development');
  if (raw === 'development' || raw === 'production') return raw;
  problems.push(`CAST_ENV must be development or production (got "${raw}")`);
  return 'production';
}

/** Base64 (standard or URL-safe) of at least 32 bytes. */
export function isInstanceKey(text: string): boolean {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length >= 32;
}

const KEY_HINT = 'base64 of at least 32 random bytes (try: openssl rand -base64 32)';

function instanceKeySettings(env: Env, environment: Environment, problems: string[]): { instanceKey: string | undefined; instanceKeyFile: string | undefined } {
  // CAST_SECRET is the name used before data keys existed; it holds the same instance key.
  const [name, instanceKey] = env.CAST_KEY ? ['CAST_KEY', env.CAST_KEY] : env.CAST_SECRET ? ['CAST_SECRET', env.CAST_SECRET] : [undefined, undefined];
  const instanceKeyFile = env.CAST_KEY_FILE ? path.resolve(env.CAST_KEY_FILE) : undefined;
  if (env.CAST_KEY && env.CAST_SECRET) problems.push('set CAST_KEY or CAST_SECRET (its old name), not both');
  if (instanceKey !== undefined && instanceKeyFile !== undefined) problems.push(`set ${name} or CAST_KEY_FILE, not both`);
  if (instanceKey !== undefined && !isInstanceKey(instanceKey)) problems.push(`${name} must be ${KEY_HINT}`);
  if (environment === 'production' && instanceKey === undefined && instanceKeyFile === undefined) {
    problems.push(`an instance key is required in production: set CAST_KEY_FILE to a file holding ${KEY_HINT}, or CAST_KEY to such a value`);
  }
  return { instanceKey, instanceKeyFile };
}
