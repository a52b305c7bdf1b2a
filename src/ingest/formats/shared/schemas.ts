// zod building blocks shared by the parsers, with the limits that protect memory at parse time.

import { z } from 'zod';
import type { AlertStatus } from '../../../alerts/alert.js';

/** More alerts than this in one payload is refused rather than stored. */
export const MAX_ALERTS_PER_PAYLOAD = 10_000;
/** A longer label or annotation value is refused: never truncated, which would change its meaning. */
export const MAX_VALUE_BYTES = 64 * 1024;

/** A label or annotation value: any string up to {@link MAX_VALUE_BYTES} of UTF-8, kept exactly as sent. */
export const labelValue = z
  .string()
  .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_VALUE_BYTES, {
    message: `longer than 64 KiB (at most ${MAX_VALUE_BYTES} bytes of UTF-8 allowed)`,
  });

/**
 * Templates (W&B payloads, Slack attachment fields) write numbers and booleans where a string is
 * meant; those are read as their text. Anything else must be a string.
 */
export function scalarAsString<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value), schema);
}

/**
 * Labels or annotations as Alertmanager and Grafana send them: an object of strings. Go writes an
 * empty (nil) map as `null`, so null and a missing field both mean "none".
 */
export const stringMap = z
  .record(z.string(), labelValue)
  .nullish()
  .transform((map): Record<string, string> => map ?? {});

/** A string that may be `null` or missing (Go and templates both do that), read as "". */
export const optionalString = z
  .string()
  .nullish()
  .transform((text) => text ?? '');

/** Like {@link optionalString}, for text that ends up among the annotations: bounded like them. */
export const optionalLabelValue = labelValue.nullish().transform((text) => text ?? '');

export const alertStatus = z.enum(['firing', 'resolved']) satisfies z.ZodType<AlertStatus>;

/**
 * A list of at most {@link MAX_ALERTS_PER_PAYLOAD} items. The length is checked before any item is
 * parsed, so an oversized list costs nothing beyond the JSON already in memory.
 */
export function alertList<Item extends z.ZodType>(item: Item) {
  return z
    .array(z.unknown())
    .max(MAX_ALERTS_PER_PAYLOAD, { message: `too many alerts: at most ${MAX_ALERTS_PER_PAYLOAD} allowed per payload` })
    .pipe(z.array(item));
}
