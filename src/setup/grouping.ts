// Grouping as people set it with `/herald grouping`: for the whole workspace, or as one channel's
// overrides (null columns inherit: channel → workspace → Herald's default). What Alertmanager would
// refuse is refused here too, plus bounds that keep a typo from hiding a channel's alerts for a
// year, so whatever is stored, delivery can use as it is.
import { formatDuration, readDuration } from '../alerts/duration.js';
import { parsed, refused, type ParseResult } from '../alerts/parseResult.js';
import { unquote } from '../alerts/quotedText.js';
import type { Db } from '../db/database.js';
import { GROUP_BY_ALL, type GroupingColumns } from '../delivery/groupingSettings.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';

/** The settings as people type them: Alertmanager's route options, with its names. */
export const GROUPING_KEYS = ['group_by', 'group_wait', 'group_interval', 'repeat_interval'] as const;
export type GroupingKey = (typeof GROUPING_KEYS)[number];
type TimingKey = Exclude<GroupingKey, 'group_by'>;

export const GROUPING_COLUMN = {
  group_by: 'groupBy',
  group_wait: 'groupWaitSeconds',
  group_interval: 'groupIntervalSeconds',
  repeat_interval: 'repeatIntervalSeconds',
} as const satisfies Record<GroupingKey, keyof GroupingColumns>;

/**
 * Allowed timer values in seconds, both ends included. group_wait may be 0 (post at once);
 * Alertmanager refuses a zero group_interval, and a repeat_interval under a minute is a reminder
 * storm rather than a reminder.
 */
export const TIMING_BOUNDS: Record<TimingKey, { min: number; max: number; range: string }> = {
  group_wait: { min: 0, max: 3600, range: '0s to 1h' },
  group_interval: { min: 1, max: 24 * 3600, range: '1s to 24h' },
  repeat_interval: { min: 60, max: 30 * 24 * 3600, range: '1m to 30d' },
};

/** Prometheus's label names; `...` (every label) is the one other group_by entry. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Settings to store: only those given, never null (clearing is {@link resetGrouping}'s job). */
export type GroupingChanges = { [K in keyof GroupingColumns]?: NonNullable<GroupingColumns[K]> };

const KEY_LIST = GROUPING_KEYS.join(', ');

/** `group_wait`, also typed `group-wait` or `GROUP_WAIT`; undefined for anything else. */
export function groupingKey(word: string): GroupingKey | undefined {
  const key = word.toLowerCase().replace(/-/g, '_');
  return GROUPING_KEYS.find((known) => known === key);
}

/**
 * `group_by=alertname,cluster group_wait=30s …`: any of the four settings, each at most once.
 * A comma with spaces around it (`group_by=alertname, cluster`) splits the command's words, so
 * words next to a comma are joined again first.
 */
export function parseGroupingChanges(words: string[]): ParseResult<GroupingChanges> {
  const changes: GroupingChanges = {};
  const seen = new Set<GroupingKey>();
  for (const word of joinCommaSeparated(words)) {
    const equals = word.indexOf('=');
    if (equals === -1) return refused(`"${word}" is not a setting: write KEY=VALUE, where KEY is one of ${KEY_LIST}`);
    const typedKey = word.slice(0, equals);
    const key = groupingKey(typedKey);
    if (key === undefined) return refused(`unknown setting "${typedKey}": the settings are ${KEY_LIST}`);
    if (seen.has(key)) return refused(`${key} is given twice`);
    seen.add(key);
    const rawValue = word.slice(equals + 1);
    const value = unquote(rawValue) ?? rawValue;
    if (key === 'group_by') {
      const groupBy = parseGroupByInput(value);
      if (!groupBy.ok) return groupBy;
      changes.groupBy = groupBy.value;
    } else {
      const seconds = parseTimer(key, value);
      if (!seconds.ok) return seconds;
      changes[GROUPING_COLUMN[key]] = seconds.value;
    }
  }
  if (seen.size === 0) return refused(`give at least one setting, such as repeat_interval=4h; the settings are ${KEY_LIST}`);
  return parsed(changes);
}

function joinCommaSeparated(words: string[]): string[] {
  const joined: string[] = [];
  for (const word of words) {
    const previous = joined.at(-1);
    if (previous !== undefined && (previous.endsWith(',') || word.startsWith(','))) joined[joined.length - 1] = previous + word;
    else joined.push(word);
  }
  return joined;
}

/** `alertname,cluster` or `...`, stored comma-separated as delivery's parseGroupBy reads it. */
export function parseGroupByInput(text: string): ParseResult<string> {
  // macOS and phones may turn a typed `...` into one ellipsis character; it means the same.
  const names = text.split(',').map((name) => name.trim().replace(/^…$/, GROUP_BY_ALL));
  if (names.every((name) => name === '')) return refused('group_by needs label names, such as group_by=alertname,cluster, or ... for every label');
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') return refused(`group_by=${text} has an empty label name: separate names with single commas`);
    if (name !== GROUP_BY_ALL && !LABEL_NAME.test(name)) {
      return refused(`"${name}" is not a label name: use letters, digits and underscores, not starting with a digit (or ... for every label)`);
    }
    if (seen.has(name)) return refused(`group_by names ${name} twice`);
    seen.add(name);
  }
  // As Alertmanager: `...` already means every label, so other names beside it are a mistake.
  if (seen.has(GROUP_BY_ALL) && seen.size > 1) return refused('group_by=... already groups by every label: give it alone');
  return parsed(names.join(','));
}

/** A timer in whole seconds, within {@link TIMING_BOUNDS}. */
export function parseTimer(key: TimingKey, text: string): ParseResult<number> {
  // A bare 0 is how Alertmanager configs often write `group_wait: 0`; people copy from them.
  const ms = text.trim() === '0' ? 0 : readDuration(text);
  if (ms === null) return refused(`"${text}" is not a duration for ${key}: use a number and a unit, such as 30s, 5m, 4h or 1h30m`);
  const seconds = ms / 1000;
  const { min, max, range } = TIMING_BOUNDS[key];
  if (seconds < min || seconds > max) return refused(`${key}=${text} is too ${seconds < min ? 'short' : 'long'}: ${key} may be ${range}`);
  return parsed(seconds);
}

/** A stored value as people type it: `alertname,cluster`, `30s`. */
export function groupingValueText(value: string | number): string {
  return typeof value === 'number' ? formatDuration(value * 1000) : value;
}

/** `group_by=alertname,cluster group_wait=30s`: changes as people typed them, for the audit log. */
export function describeChanges(changes: GroupingChanges): string {
  return GROUPING_KEYS.flatMap((key) => {
    const value = changes[GROUPING_COLUMN[key]];
    return value === undefined ? [] : [`${key}=${groupingValueText(value)}`];
  }).join(' ');
}

// ── Changes, each audited. A null channelId means the workspace. ──────────────────────────────

/** Stores some settings; false when the channel is not an alert channel. */
export async function setGrouping(db: Db, actor: Actor, channelId: string | null, changes: GroupingChanges): Promise<boolean> {
  const target = await update(db, actor, channelId, changes);
  if (target === null) return false;
  await recordAudit(db, actor, 'grouping.set', `${target}: ${describeChanges(changes)}`);
  return true;
}

/** Clears `keys` (all four by default) back to inherited; false when the channel is not an alert channel. */
export async function resetGrouping(db: Db, actor: Actor, channelId: string | null, keys: readonly GroupingKey[] = GROUPING_KEYS): Promise<boolean> {
  const cleared = Object.fromEntries(keys.map((key) => [GROUPING_COLUMN[key], null]));
  const target = await update(db, actor, channelId, cleared);
  if (target === null) return false;
  const which = keys.length === GROUPING_KEYS.length ? '' : `: ${keys.join(', ')}`;
  await recordAudit(db, actor, 'grouping.reset', `${target}${which}`);
  return true;
}

/** Writes the columns; returns what was changed, as the audit log names it, or null for an unknown channel. */
async function update(db: Db, actor: Actor, channelId: string | null, data: { [K in keyof GroupingColumns]?: GroupingColumns[K] }): Promise<string | null> {
  if (channelId === null) {
    await db.installation.update({ where: { id: actor.installationId }, data });
    return 'workspace';
  }
  const { count } = await db.channel.updateMany({ where: { installationId: actor.installationId, channelId }, data });
  if (count === 0) return null;
  const channel = await db.channel.findUnique({ where: { installationId_channelId: { installationId: actor.installationId, channelId } }, select: { name: true } });
  return `#${channel?.name ?? channelId} (${channelId})`;
}

// ── Reading. ─────────────────────────────────────────────────────────────────────────────────

export const NOTHING_SET: GroupingColumns = { groupBy: null, groupWaitSeconds: null, groupIntervalSeconds: null, repeatIntervalSeconds: null };

/** The workspace's own settings (all null when it has none). */
export async function workspaceGrouping(db: Db, installationId: string): Promise<GroupingColumns> {
  const row = await db.installation.findUnique({
    where: { id: installationId },
    select: { groupBy: true, groupWaitSeconds: true, groupIntervalSeconds: true, repeatIntervalSeconds: true },
  });
  return row ?? NOTHING_SET;
}

/** The keys a row sets itself, in the order people see them. */
export function keysSet(columns: GroupingColumns): GroupingKey[] {
  return GROUPING_KEYS.filter((key) => columns[GROUPING_COLUMN[key]] !== null);
}
