// The words of a /herald command. Slack sends the text escaped (`should_escape: true` in the
// manifest): channels as `<#C123|name>`, users as `<@U123|name>`, and `&`, `<`, `>` typed by the
// person as `&amp;`, `&lt;`, `&gt;` (so `severity>=error` arrives as `severity&gt;=error`).
import { parsed, refused, type ParseResult } from '../../../alerts/parseResult.js';
import { isWhitespace, splitOutsideQuotes, unquote } from '../../../alerts/quotedText.js';
import { UsageError } from './context.js';

/** Words split on spaces outside double quotes, with Slack's escaping undone in everything but references. */
export function commandWords(text: string): ParseResult<string[]> {
  // Phones and macOS may turn typed quotes into curly ones; they mean the same here.
  const words = splitOutsideQuotes(text.trim().replace(/[“”]/g, '"'), isWhitespace);
  if (!words.ok) return words;
  return parsed(words.value.map((word) => (isReference(word) ? word : unescapeSlack(word))));
}

const isReference = (word: string): boolean => /^<[#@!][^>]*>$/.test(word);

export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const CHANNEL_REFERENCE = /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/;
const BARE_CHANNEL_ID = /^[CG][A-Z0-9]{3,}$/;
const USER_REFERENCE = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const BARE_USER_ID = /^[UW][A-Z0-9]{3,}$/;

export interface ChannelArg {
  channelId: string;
  /** The name Slack put in the reference, if any (`<#C123|ops>` → `ops`). */
  name: string | null;
}

/** `<#C123|name>`, `<#C123>` or a bare `C123…`; a UsageError that says how otherwise. */
export function channelArg(word: string | undefined, what: string): ChannelArg {
  if (word === undefined) throw new UsageError(`${what} needs a channel: type # and pick it from the list.`);
  const reference = CHANNEL_REFERENCE.exec(word);
  if (reference) return { channelId: reference[1] ?? '', name: reference[2] || null };
  if (BARE_CHANNEL_ID.test(word)) return { channelId: word, name: null };
  // An unknown #name arrives as plain text: Slack links only channels it knows.
  throw new UsageError(`"${word}" is not a channel Slack knows: type # and pick the channel from the list.`);
}

/** Whether a word is meant as a channel: a reference, a bare ID, or a `#name` Slack did not link. */
export function isChannelWord(word: string): boolean {
  return word.startsWith('<#') || word.startsWith('#') || BARE_CHANNEL_ID.test(word);
}

/** `<@U123|name>`, `<@U123>` or a bare `U123…`. */
export function userArg(word: string | undefined, what: string): string {
  if (word === undefined) throw new UsageError(`${what} needs a person: type @ and pick them from the list.`);
  const reference = USER_REFERENCE.exec(word);
  if (reference) return reference[1] ?? '';
  if (BARE_USER_ID.test(word)) return word;
  throw new UsageError(`"${word}" is not a person Slack knows: type @ and pick them from the list.`);
}

/** Free text made of several words (a comment); one whole quoted string loses its quotes. */
export function freeText(words: string[]): string {
  const text = words.join(' ').trim();
  return unquote(text) ?? text;
}

export interface SplitOptions {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

/** Splits `--flag` and `--option value` (or `--option=value`) from the other words. */
export function splitOptions(words: string[], known: { flags: string[]; values: string[] }): ParseResult<SplitOptions> {
  const result: SplitOptions = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('--')) {
      result.positional.push(word);
      continue;
    }
    const [name = '', inline] = word.slice(2).split(/=(.*)/s);
    if (known.flags.includes(name) && inline === undefined) {
      result.flags.add(name);
    } else if (known.values.includes(name)) {
      const value = inline ?? words[++i];
      if (value === undefined || value === '') return refused(`--${name} needs a value`);
      result.values.set(name, value);
    } else {
      const all = [...known.flags, ...known.values].map((o) => `--${o}`).join(', ');
      return refused(`unknown option ${word}${all ? `: the options are ${all}` : ''}`);
    }
  }
  return parsed(result);
}
