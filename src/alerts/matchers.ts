// Alertmanager's label matchers: `name=value`, `name!=value`, `name=~regex`, `name!~regex`, with the
// same semantics: a missing label reads as the empty string, and regexes are fully anchored
// (`env=~prod` does not match `production`). Used by channel filters and by silences.
import { parsed, refused, type ParseResult } from './parseResult.js';
import { splitOutsideQuotes, unquote } from './quotedText.js';

export const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

export interface Matcher {
  name: string;
  operator: MatchOperator;
  value: string;
  /** The anchored regex of `=~` and `!~`. */
  regex?: RegExp;
}

/** Prometheus label names. */
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Longest regex accepted: JavaScript regexes backtrack, and label values come from outside. */
const MAX_REGEX_LENGTH = 500;
/** The name, then the operator: `!=` and the regex operators before `=`, so `a!=b` is not `a!` `=` `b`. */
const MATCHER = /^([^=!~]*?)\s*(=~|!~|!=|=)\s*(.*)$/s;

export function parseMatcher(text: string): ParseResult<Matcher> {
  const trimmed = text.trim();
  const match = MATCHER.exec(trimmed);
  if (!match) return refused(`"${trimmed}" is not a matcher: use name=value, name!=value, name=~regex or name!~regex`);
  const [, name = '', operator = '=', rawValue = ''] = match;
  if (name === '') return refused(`"${trimmed}" has an empty label name: write the label before ${operator}`);
  if (!LABEL_NAME.test(name)) return refused(`"${name}" is not a label name: use letters, digits and _, not starting with a digit`);
  const value = rawValue.startsWith('"') ? unquote(rawValue) : rawValue;
  if (value === undefined) return refused(`the value in "${trimmed}" has unbalanced quotes`);
  const op = operator as MatchOperator;
  if (op === '=' || op === '!=') return parsed({ name, operator: op, value });
  const regex = compileAnchored(value);
  if (!regex.ok) return refused(`the regex in "${trimmed}" is invalid: ${regex.error}`);
  return parsed({ name, operator: op, value, regex: regex.value });
}

function compileAnchored(pattern: string): ParseResult<RegExp> {
  if (pattern.length > MAX_REGEX_LENGTH) return refused(`longer than ${MAX_REGEX_LENGTH} characters`);
  try {
    return parsed(new RegExp(`^(?:${pattern})$`));
  } catch (error) {
    // V8 says "Invalid regular expression: /^(?:db()$/: Unterminated group"; the reason is the last part,
    // and the pattern it shows is our anchored one, which would only confuse.
    const message = error instanceof Error ? error.message : String(error);
    return refused(message.slice(message.lastIndexOf(': ') + 2));
  }
}

/** `{a=b, c=~"d|e"}` or `a=b,c=~"d|e"`: the comma-separated list Alertmanager and amtool accept. */
export function parseMatcherList(text: string): ParseResult<Matcher[]> {
  const trimmed = text.trim();
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  const pieces = splitOutsideQuotes(inner, (char) => char === ',');
  if (!pieces.ok) return pieces;
  const matchers: Matcher[] = [];
  for (const piece of pieces.value) {
    if (piece.trim() === '') continue;
    const matcher = parseMatcher(piece);
    if (!matcher.ok) return matcher;
    matchers.push(matcher.value);
  }
  return parsed(matchers);
}

export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? '') : '';
  switch (matcher.operator) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return matcher.regex?.test(value) ?? false;
    case '!~':
      return !(matcher.regex?.test(value) ?? false);
  }
}

export const matchesAll = (matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean =>
  matchers.every((matcher) => matches(matcher, labels));

/** Reads back through `parseMatcher`: values are quoted when they hold anything but plain characters. */
export function formatMatcher(matcher: Matcher): string {
  const plain = /^[A-Za-z0-9_.:/@+*-]*$/.test(matcher.value) && matcher.value !== '';
  return `${matcher.name}${matcher.operator}${plain ? matcher.value : JSON.stringify(matcher.value)}`;
}
