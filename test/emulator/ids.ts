// Identifiers shaped like Slack's, so code that checks prefixes (U…, B…, xoxb-…) treats them as real.
import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An uppercase id such as 'U08ABCDE12', as Slack uses for users, bots, channels and views. */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/** An unguessable secret (tokens, codes, webhook secrets). */
export function secret(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Digits for the numeric part of tokens, e.g. xoxb-1234567890-… */
export function digits(length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += String(byte % 10);
  return out;
}

/** A Slack timestamp ('1700000000.123000') for a millisecond clock reading, as in action_ts. */
export function slackTs(ms: number): string {
  const micros = Math.floor(ms * 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}
