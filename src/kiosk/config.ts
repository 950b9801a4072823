/**
 * The kiosk's config file (YAML or JSON), validated with zod. Every error names the field and what is allowed.
 * Relative paths are resolved against the config file's folder. docs/kiosk-config.md documents every field.
 *
 * A config must say which issuer keys to trust (`trust.keys` or `trust.store`): the DEMO keys are trusted only by
 * the built-in default, never as a fallback for a config that fails.
 */
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DETAIL_FIELDS } from '../screen/state.js';
import { DEFAULT_TRUST_POLL_SECONDS, TLS_MODES } from '../central/settings.js';
import {
  CONFIG_PURPOSES,
  DEFAULT_CLEAR_AFTER_SECONDS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_MAX_STATUS_AGE_DAYS,
  DEFAULT_PORT,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_SKEW_SECONDS,
} from './defaults.js';

export {
  DEFAULT_PORT,
  DEFAULT_CLEAR_AFTER_SECONDS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  DEFAULT_SKEW_SECONDS,
  DEFAULT_MAX_STATUS_AGE_DAYS,
  DEFAULT_RETENTION_DAYS,
  CONFIG_PURPOSES,
  deskPurposeOf,
  type ConfigPurpose,
} from './defaults.js';
import { ProofdeskError } from '../errors.js';
import { QR_MAX_CHARS } from '../scan/types.js';
import { readBoundedSync } from '../storage/bounded-read.js';
const MAX_CONFIG_BYTES = 256 * 1024;

const nonEmpty = z.string().min(1, 'must not be empty');
const devicePath = z.string().regex(/^\/dev\/\S+$/, 'must be a device path such as /dev/ttyACM0');
const maxLength = z.int().min(1).max(QR_MAX_CHARS).optional();

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

const scannerSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('serial'),
      path: devicePath,
      baud: z.literal(BAUD_RATES, { error: `must be one of ${BAUD_RATES.join(', ')}` }).optional(),
      eol: z.enum(['cr', 'lf', 'crlf', 'tab', 'none']).optional(),
      idleMs: z.int().min(10).max(60_000).optional(),
      name: nonEmpty.optional(),
      maxLength,
    }),
    z.strictObject({ type: z.literal('hid-pos'), path: devicePath, name: nonEmpty.optional(), maxLength }),
    z.strictObject({
      type: z.literal('hid-keyboard'),
      path: devicePath,
      layout: z.enum(['us', 'uk']).optional(),
      suffix: z.enum(['enter', 'tab', 'none']).optional(),
      idleMs: z.int().min(10).max(60_000).optional(),
      name: nonEmpty.optional(),
      maxLength,
    }),
  ],
  { error: 'type must be one of "serial", "hid-pos", "hid-keyboard" (stdin is scanners.stdin)' },
);

export const configSchema = z
  .strictObject({
    desk: z.strictObject({
      /** Printed on every record. */
      id: z
        .string()
        .regex(/^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/, 'must be 1-64 printable ASCII characters')
        .default('desk'),
      purpose: z.enum(CONFIG_PURPOSES),
      /** Details the page asks the checker for, before or after a check; kept only in the sealed personal copy. */
      askFor: z
        .array(z.enum(DETAIL_FIELDS))
        .refine((a) => new Set(a).size === a.length, { error: 'lists a field twice' })
        .default([]),
      /** What the reference is ("Tenancy reference", "Employee number"), on the page and the evidence PDF. */
      referenceLabel: z
        .string()
        .regex(/^[^\x00-\x1f\x7f]{1,40}$/, 'must be 1-40 characters, no control characters')
        .optional(),
    }),
    trust: z
      .strictObject({
        /** A JWKS file of pinned issuer keys. */
        keys: nonEmpty.optional(),
        /** A trust store folder (`proofdesk trust init/import`): root-signed bundles and status lists. */
        store: nonEmpty.optional(),
        skewSeconds: z.int().min(0).max(3600).default(DEFAULT_SKEW_SECONDS),
        maxStatusAgeDays: z.number().positive().max(365).default(DEFAULT_MAX_STATUS_AGE_DAYS),
      })
      .refine((t) => (t.keys === undefined) !== (t.store === undefined), {
        error: 'give exactly one of trust.keys (a JWKS file) or trust.store (a trust store folder)',
      }),
    scanners: z
      .strictObject({
        stdin: z.boolean().default(true),
        discover: z.boolean().default(true),
        devices: z.array(scannerSchema).max(16).default([]),
        duplicateWindowMs: z.int().min(0).max(60_000).default(DEFAULT_DUPLICATE_WINDOW_MS),
      })
      .default({ stdin: true, discover: true, devices: [], duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS }),
    /** Firmware bridge boxes (docs/bridge-protocol.md): each is a scanner, a TFT display and the YES/NO likeness keys. */
    bridges: z
      .array(
        z.strictObject({
          /** A device path, or `auto`: the ST-LINK USB id plus a handshake (never writes to unknown serial devices). */
          path: z.string().regex(/^(?:auto|\/dev\/\S+)$/, 'must be a device path such as /dev/ttyACM0, or auto'),
          name: nonEmpty.optional(),
          /** The firmware's host UART rate (ignored by ptys). */
          baud: z.literal([115200, 921600], { error: 'must be 115200 or 921600' }).optional(),
        }),
      )
      .max(4)
      .default([]),
    displays: z
      .strictObject({
        web: z
          .strictObject({
            enabled: z.boolean().default(true),
            port: z.int().min(1024).max(65535).default(DEFAULT_PORT),
          })
          .default({ enabled: true, port: DEFAULT_PORT }),
        terminal: z.enum(['auto', 'on', 'off']).default('auto'),
      })
      .default({ web: { enabled: true, port: DEFAULT_PORT }, terminal: 'auto' }),
    screen: z
      .strictObject({
        clearAfterSeconds: z.int().min(3).max(3600).default(DEFAULT_CLEAR_AFTER_SECONDS),
        /** What an offline check is worth, shown with every result. */
        worth: z.string().min(20, 'must be a sentence (20+ characters)').max(600).optional(),
      })
      .default({ clearAfterSeconds: DEFAULT_CLEAR_AFTER_SECONDS }),
    records: z
      .strictObject({
        dir: nonEmpty.optional(),
        retentionDays: z.int().min(1).max(36_600).default(DEFAULT_RETENTION_DAYS),
        personalCopy: z.strictObject({ keyFile: nonEmpty }).optional(),
        /** The organisation's PostgreSQL server: records ship there, published trust data comes from there (docs/central.md). */
        central: z
          .strictObject({
            url: z
              .string()
              .regex(/^postgres(?:ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
              .max(2048)
              .optional(),
            passwordFile: nonEmpty.optional(),
            tls: z
              .strictObject({
                mode: z.enum(TLS_MODES).optional(),
                ca: nonEmpty.optional(),
                cert: nonEmpty.optional(),
                key: nonEmpty.optional(),
              })
              .optional(),
            recordsKey: nonEmpty.optional(),
            trustDir: nonEmpty.optional(),
            trustPollSeconds: z.int().min(1).max(60).default(DEFAULT_TRUST_POLL_SECONDS),
          })
          .optional(),
      })
      .default({ retentionDays: DEFAULT_RETENTION_DAYS }),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.desk.askFor.length > 0 && cfg.records.personalCopy === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['desk', 'askFor'],
        message:
          "desk.askFor needs records.personalCopy.keyFile: the checker's name and the reference are kept only in the encrypted personal copy",
      });
    }
    const central = cfg.records.central;
    if (central === undefined) return;
    if (cfg.desk.id === 'desk') {
      ctx.addIssue({
        code: 'custom',
        path: ['desk', 'id'],
        message: 'with records.central every desk needs its own id (the default "desk" would mix desks\' records)',
      });
    }
    if (central.recordsKey !== undefined && cfg.records.personalCopy === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['records', 'central', 'recordsKey'],
        message:
          'personal copies are off on this desk (no records.personalCopy), so none would ship: remove recordsKey, or turn personal copies on',
      });
    }
  });

export type KioskConfig = z.infer<typeof configSchema>;
export type ScannerConfig = KioskConfig['scanners']['devices'][number];

export class ConfigError extends ProofdeskError {
  constructor(
    override readonly code: 'CONFIG_UNREADABLE' | 'CONFIG_SYNTAX' | 'CONFIG_INVALID',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const REQUIRED_HINT: Record<string, string> = {
  desk: 'desk.purpose: one of work, rent, housing, any',
  'desk.purpose': 'one of work, rent, housing, any',
  trust: 'trust.keys: a JWKS file, or trust.store: a trust store folder',
};

function fieldName(p: ReadonlyArray<PropertyKey>): string {
  return p.length === 0
    ? '(top level)'
    : p
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '');
}

/** One line per problem: `field: what is wrong and what is allowed`. */
export function describeIssues(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const field = fieldName(i.path);
      if (i.code === 'unrecognized_keys') {
        return `${field}: unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (see docs/kiosk-config.md for the fields allowed here)`;
      }
      if (i.code === 'invalid_type' && i.message.endsWith('received undefined')) {
        return `${field}: required${REQUIRED_HINT[field] ? ` (${REQUIRED_HINT[field]})` : ''}`;
      }
      return `${field}: ${i.message}`;
    })
    .join('\n');
}

/** Validates an already-parsed object; paths stay as given. */
export function parseConfig(raw: unknown): KioskConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError('CONFIG_INVALID', describeIssues(result.error));
  return result.data;
}

/** Reads a YAML or JSON file (JSON is YAML), validates it and resolves relative paths against its folder. */
export function loadConfig(file: string): KioskConfig {
  const text = readBoundedSync(file, MAX_CONFIG_BYTES, 'config', (r) => {
    const why =
      r.why === 'unreadable'
        ? (r.cause as Error).message
        : r.why === 'too-large'
          ? `larger than ${MAX_CONFIG_BYTES} bytes`
          : 'not a regular file';
    return new ConfigError('CONFIG_UNREADABLE', `cannot read config ${file}: ${why}`, { cause: r.cause });
  }).toString('utf8');
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch (err) {
    throw new ConfigError('CONFIG_SYNTAX', `config ${file} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const cfg = parseConfig(raw);
  const base = path.dirname(path.resolve(file));
  const abs = (p: string | undefined) => (p === undefined ? undefined : path.resolve(base, p));
  return {
    ...cfg,
    trust: { ...cfg.trust, keys: abs(cfg.trust.keys), store: abs(cfg.trust.store) },
    records: {
      ...cfg.records,
      dir: abs(cfg.records.dir),
      personalCopy: cfg.records.personalCopy ? { keyFile: abs(cfg.records.personalCopy.keyFile)! } : undefined,
      central: cfg.records.central ? centralPaths(cfg.records.central, abs) : undefined,
    },
  };
}

type Central = NonNullable<KioskConfig['records']['central']>;
/** records.central's files, resolved against the config's folder (the URL is not a path). */
function centralPaths(c: Central, abs: (p: string | undefined) => string | undefined): Central {
  const out: Central = { ...c };
  if (c.passwordFile !== undefined) out.passwordFile = abs(c.passwordFile)!;
  if (c.recordsKey !== undefined) out.recordsKey = abs(c.recordsKey)!;
  if (c.trustDir !== undefined) out.trustDir = abs(c.trustDir)!;
  if (c.tls !== undefined) {
    out.tls = { ...c.tls };
    for (const k of ['ca', 'cert', 'key'] as const) if (c.tls[k] !== undefined) out.tls[k] = abs(c.tls[k])!;
  }
  return out;
}
