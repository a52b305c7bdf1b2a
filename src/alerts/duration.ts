// Durations as people type them for mutes and silences: `30m`, `2h`, `1d`, `1h30m`, `2w`. The units
// are amtool's, without years and milliseconds, which nobody mutes for.
import { parsed, refused, type ParseResult } from './parseResult.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS = [
  ['w', 7 * DAY],
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
] as const;

/** A year: long enough for any mute or silence, short enough to catch typos like `1000d`. */
export const MAX_DURATION_MS = 365 * DAY;

/** Units largest first, each at most once: `1h30m` yes, `30m1h` no (amtool reads it the same way). */
const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export function parseDuration(text: string): ParseResult<number> {
  const ms = readDuration(text);
  if (ms === null) {
    return refused(`"${text}" is not a duration: use a number and a unit, such as 30m, 2h, 1d or 1h30m`);
  }
  if (ms <= 0) return refused(`"${text}" is no time at all: give a duration longer than zero, such as 30m`);
  if (ms > MAX_DURATION_MS) return refused(`"${text}" is too long: at most 365d`);
  return parsed(ms);
}

/**
 * The milliseconds a duration stands for, zero and any length included, or null when it is not
 * written as one. For callers with bounds of their own (grouping timers may be 0s, and at most 30d).
 */
export function readDuration(text: string): number | null {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (!match || text.trim() === '') return null;
  return UNITS.reduce((total, [, unitMs], i) => total + Number(match[i + 1] ?? 0) * unitMs, 0);
}

/** The shortest form `parseDuration` reads back: 5_400_000 → `1h30m`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / SECOND) * SECOND);
  const parts: string[] = [];
  for (const [unit, unitMs] of UNITS) {
    const count = Math.floor(rest / unitMs);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * unitMs;
  }
  return parts.join('') || '0s';
}
