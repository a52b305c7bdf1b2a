// Senders name severities in many ways; Herald has four. These tables are the one place that
// decides which word or colour means what.

import type { Severity } from '../../../alerts/alert.js';

/** Used when a sender gives no severity or one Herald does not recognise. */
export const DEFAULT_SEVERITY: Severity = 'warning';

// Words seen in Prometheus rules, Grafana, PagerDuty/Opsgenie priorities (p1…p5) and syslog.
const SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'critical', crit: 'critical', page: 'critical', p1: 'critical', fatal: 'critical', emergency: 'critical',
  error: 'error', err: 'error', high: 'error', major: 'error', p2: 'error',
  warning: 'warning', warn: 'warning', medium: 'warning', minor: 'warning', p3: 'warning',
  info: 'info', informational: 'info', low: 'info', none: 'info', ok: 'info', p4: 'info', p5: 'info',
};

/** Every word {@link severityFromWord} knows, for documentation and the generic JSON Schema. */
export const SEVERITY_WORD_LIST: readonly string[] = Object.keys(SEVERITY_WORDS);

/** The severity a word names (case and surrounding spaces ignored), or undefined for an unknown word. */
export function severityFromWord(word: string | undefined): Severity | undefined {
  if (word === undefined) return undefined;
  const key = word.trim().toLowerCase();
  return Object.hasOwn(SEVERITY_WORDS, key) ? SEVERITY_WORDS[key] : undefined;
}

// Words that, standing alone in a free-text title, say how bad something is. Narrower than the
// table above: "high", "low" or "ok" in a sentence ("High CPU usage") describe something else.
const SEVERITY_WORDS_IN_TEXT = /\b(critical|fatal|emergency|error|warning)\b/gi;

/** The most severe of the words in {@link SEVERITY_WORDS_IN_TEXT} found in `text`, if any. */
export function severityInText(text: string): Severity | undefined {
  let found: Severity | undefined;
  for (const [word] of text.matchAll(SEVERITY_WORDS_IN_TEXT)) {
    const severity = severityFromWord(word);
    if (severity !== undefined && (found === undefined || moreSevere(severity, found))) found = severity;
  }
  return found;
}

const ORDER: readonly Severity[] = ['info', 'warning', 'error', 'critical'];
function moreSevere(a: Severity, b: Severity): boolean {
  return ORDER.indexOf(a) > ORDER.indexOf(b);
}

export type ColourFamily = 'red' | 'amber' | 'green';

/**
 * What a Slack attachment colour says: Slack's names `danger`, `warning` and `good`, or a hex
 * colour (`#d00000`, `d00`) classified by hue. Grey, blue and purple say nothing: undefined.
 */
export function colourFamily(colour: string | undefined): ColourFamily | undefined {
  if (colour === undefined) return undefined;
  const named = colour.trim().toLowerCase();
  if (named === 'danger') return 'red';
  if (named === 'warning') return 'amber';
  if (named === 'good') return 'green';
  const rgb = parseHexColour(named);
  if (rgb === undefined) return undefined;
  const [r, g, b] = rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  // Too dark or too grey to carry a meaning.
  if (max < 0.2 || (max - min) / max < 0.25) return undefined;
  const hue = hueDegrees(r, g, b, max, max - min);
  if (hue < 20 || hue >= 330) return 'red';
  if (hue < 70) return 'amber';
  if (hue < 170) return 'green';
  return undefined;
}

export function severityFromColour(colour: string | undefined): Severity | undefined {
  const family = colourFamily(colour);
  if (family === 'red') return 'critical';
  if (family === 'amber') return 'warning';
  if (family === 'green') return 'info';
  return undefined;
}

function parseHexColour(text: string): [number, number, number] | undefined {
  const hex = text.startsWith('#') ? text.slice(1) : text;
  if (!/^([0-9a-f]{3}|[0-9a-f]{6})$/.test(hex)) return undefined;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  return [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16) / 255) as [number, number, number];
}

function hueDegrees(r: number, g: number, b: number, max: number, chroma: number): number {
  let sector: number;
  if (max === r) sector = ((g - b) / chroma + 6) % 6;
  else if (max === g) sector = (b - r) / chroma + 2;
  else sector = (r - g) / chroma + 4;
  return sector * 60;
}
