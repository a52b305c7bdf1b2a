// The body as JSON, or a 400 that says where it stops being JSON.
import { refuse } from './refusal.js';
import { findJsonSyntaxError } from './jsonSyntax.js';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Real payloads nest a handful of levels (Block Kit's rich text is the deepest, about eight).
 * Senders' Slack attachments are kept as sent, and values nested thousands deep would overflow the
 * stack of the recursive code that later stores and renders them, so they are refused here.
 */
export const MAX_JSON_DEPTH = 64;

/** @throws Refusal 400 naming the position of the first syntax error, or a body nested too deep. */
export function parseJsonBody(body: Buffer): unknown {
  let text = body.toString('utf8');
  // Some Windows tools (PowerShell's Out-File, Notepad) start UTF-8 text with a byte order mark.
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = findJsonSyntaxError(text);
    if (where === null) throw refuse.invalidJson(error instanceof Error ? error.message : String(error));
    throw refuse.invalidJson(`unexpected ${where.found} at line ${where.line}, column ${where.column} (position ${where.position})`);
  }
  const tooDeep = positionDeeperThan(text, MAX_JSON_DEPTH);
  if (tooDeep !== -1) throw refuse.tooDeep(MAX_JSON_DEPTH, tooDeep);
  return value;
}

/**
 * Where valid JSON `text` first opens more than `limit` arrays/objects at once, or -1. One pass, no
 * recursion. Strings are skipped with indexOf, not a character at a time: alert payloads are mostly
 * strings, and the scan went from 147 to 53 µs for a 100-alert body (JSON.parse takes 102).
 */
function positionDeeperThan(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) i = closingQuote(text, i);
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** The quote that closes the string opened at `open` (the text is valid JSON, so there is one). */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1 && isEscaped(text, quote)) quote = text.indexOf('"', quote + 1);
  return quote === -1 ? text.length : quote;
}

/** An odd number of backslashes before it escapes a character; an even number are escaped backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}
