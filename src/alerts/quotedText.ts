// Splitting typed text where double-quoted parts stay whole: `team="db, cache" env=prod` has two
// matchers, not three. Quotes and backslash escapes are kept in the pieces; the matcher parser
// reads them.
import { parsed, refused, type ParseResult } from './parseResult.js';

/** Pieces between separators (separators outside quotes only); empty pieces are dropped. */
export function splitOutsideQuotes(text: string, isSeparator: (char: string) => boolean): ParseResult<string[]> {
  const pieces: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quoted && char === '\\' && i + 1 < text.length) {
      current += char + text.charAt(++i);
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (!quoted && isSeparator(char)) {
      if (current !== '') pieces.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (quoted) return refused(`a quote is not closed in: ${text}`);
  if (current !== '') pieces.push(current);
  return parsed(pieces);
}

export const isWhitespace = (char: string): boolean => /\s/.test(char);

/** `"a \"b\""` → `a "b"`; undefined when `text` is not one whole quoted string. */
export function unquote(text: string): string | undefined {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return undefined;
  let value = '';
  for (let i = 1; i < text.length - 1; i++) {
    const char = text.charAt(i);
    if (char === '"') return undefined; // a quote in the middle: two strings, not one
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = text.charAt(++i);
    if (i >= text.length - 1) return undefined; // the closing quote was escaped
    value += next === 'n' ? '\n' : next;
  }
  return value;
}
