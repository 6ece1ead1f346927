// Structured JSON logs. Personal data never reaches a log line in full: resident IDs anywhere in a
// logged string are masked, and fields named like a person's name are masked too.
import { pino, type Logger } from 'pino';
import { maskName, maskResidentIdsIn } from './domain/resident-id.js';

export type { Logger };

const NAME_KEYS = new Set(['name', 'fullName', 'personName']);

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskResidentIdsIn(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: maskResidentIdsIn(value.message), stack: value.stack && maskResidentIdsIn(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = NAME_KEYS.has(k) && typeof v === 'string' ? maskName(v) : scrub(v, depth + 1);
  }
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'housing-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrub(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskResidentIdsIn(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
