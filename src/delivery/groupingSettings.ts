// The grouping a channel uses: its own settings where it has them, else the workspace's, else
// Herald's defaults (Alertmanager's, with KubeSphere's 12 h repeat). Stored as nullable columns
// on Installation and Channel, set with `/herald grouping`.
import { DEFAULT_TIMING, type GroupTiming } from './grouping.js';

/** `...` groups by every label, as Alertmanager's `group_by: ['...']` does. */
export const GROUP_BY_ALL = '...';
export const DEFAULT_GROUP_BY: readonly string[] = ['alertname'];

/** The grouping columns of an Installation or a Channel row; null = not set there. */
export interface GroupingColumns {
  groupBy: string | null;
  groupWaitSeconds: number | null;
  groupIntervalSeconds: number | null;
  repeatIntervalSeconds: number | null;
}

export interface GroupingSettings {
  /** Label names to group by, or 'all' for every label. */
  groupBy: readonly string[] | 'all';
  timing: GroupTiming;
}

/** Parses a stored group_by value: comma-separated label names, or `...`. */
export function parseGroupBy(stored: string): readonly string[] | 'all' {
  const names = stored.split(',').map((name) => name.trim()).filter((name) => name !== '');
  return names.includes(GROUP_BY_ALL) ? 'all' : names;
}

export function effectiveGrouping(workspace: GroupingColumns, channel: GroupingColumns): GroupingSettings {
  const pick = <K extends keyof GroupingColumns>(key: K): GroupingColumns[K] => channel[key] ?? workspace[key];
  const seconds = (key: Exclude<keyof GroupingColumns, 'groupBy'>, fallbackMs: number) => {
    const value = pick(key);
    return value === null ? fallbackMs : value * 1000;
  };
  const groupBy = pick('groupBy');
  return {
    groupBy: groupBy === null ? DEFAULT_GROUP_BY : parseGroupBy(groupBy),
    timing: {
      groupWaitMs: seconds('groupWaitSeconds', DEFAULT_TIMING.groupWaitMs),
      groupIntervalMs: seconds('groupIntervalSeconds', DEFAULT_TIMING.groupIntervalMs),
      repeatIntervalMs: seconds('repeatIntervalSeconds', DEFAULT_TIMING.repeatIntervalMs),
    },
  };
}
