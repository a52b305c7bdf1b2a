// When an alert group's channel message must change: Alertmanager's grouping semantics
// (dispatch/dispatch.go for the timers, notify/notify.go DedupStage.needsUpdate for the decision),
// as pure functions of the group's state and the clock, so each case is testable with a fake clock.

export interface GroupTiming {
  /** How long a new group waits for more alerts before its first message (default 10 s). */
  groupWaitMs: number;
  /** How long after a message the group is looked at again for changes (default 1 min). */
  groupIntervalMs: number;
  /** How long an unchanged, still-firing group waits before it is notified again (default 12 h). */
  repeatIntervalMs: number;
}

export const DEFAULT_TIMING: GroupTiming = {
  groupWaitMs: 10_000,
  groupIntervalMs: 60_000,
  repeatIntervalMs: 12 * 60 * 60_000,
};

/** What the channel was last told about the group: fingerprints firing and resolved, and when. */
export interface LastNotification {
  firing: ReadonlySet<string>;
  resolved: ReadonlySet<string>;
  at: number;
}

/** The group as it stands now. */
export interface CurrentAlerts {
  firing: ReadonlySet<string>;
  resolved: ReadonlySet<string>;
}

/**
 * Whether the group must be notified now (Alertmanager's needsUpdate, with resolved alerts always
 * sent: Herald edits the message in place, so a resolve is never noise).
 */
export function needsNotification(last: LastNotification | null, current: CurrentAlerts, now: number, timing: GroupTiming): boolean {
  // Never notified: notify unless everything already resolved (nobody saw those alerts fire).
  if (last === null) return current.firing.size > 0;
  // A firing alert the channel has not seen.
  for (const fingerprint of current.firing) if (!last.firing.has(fingerprint)) return true;
  // Everything resolved: tell the channel, unless it was never told anything was firing.
  if (current.firing.size === 0) return last.firing.size > 0;
  // A newly resolved alert (the group still fires).
  for (const fingerprint of current.resolved) if (!last.resolved.has(fingerprint)) return true;
  // Nothing changed: remind only once the repeat interval has passed.
  return now - last.at >= timing.repeatIntervalMs;
}

/**
 * When the group should next be looked at: after group_wait for a new group (at once if its
 * oldest alert already waited that long), then every group_interval after a notification.
 */
export function nextEvaluationAt(p: { firstAlertAt: number; lastEvaluatedAt: number | null }, timing: GroupTiming): number {
  if (p.lastEvaluatedAt === null) return p.firstAlertAt + timing.groupWaitMs;
  return p.lastEvaluatedAt + timing.groupIntervalMs;
}
