// What the renderer takes and gives.
import type { KnownBlock, MessageAttachment } from '@slack/web-api';
import type { Alert } from '../alerts/alert.js';

/** One alert group as Herald knows it when it (re)renders the group's message. */
export interface AlertGroupView {
  /** The labels the group is keyed by, e.g. `{ alertname: 'HighLatency' }`. */
  groupLabels: Record<string, string>;
  /** Every alert of the group, firing and resolved. */
  alerts: Alert[];
  /** `resolved` once every alert is resolved (or someone resolved the group by hand). */
  status: 'firing' | 'resolved';
  acknowledged?: { userId: string; at: Date };
  silenced?: { until: Date; by: string };
  /** Slack user id of whoever pressed Resolve. */
  manuallyResolvedBy?: string;
  /** Alerts the sender left out of its payload (Alertmanager's `truncatedAlerts`). */
  truncatedAlerts?: number;
  /** Herald's id for the group; carried in button values. At most {@link MAX_GROUP_ID_LENGTH} characters. */
  groupId: string;
}

/** The arguments of chat.postMessage / chat.update that the renderer decides. */
export interface SlackMessage {
  /** Fallback for notifications and screen readers; always set. */
  text: string;
  blocks: KnownBlock[];
  attachments?: MessageAttachment[];
}

export interface RenderOptions {
  /**
   * Render a smaller message: for the one retry after Slack answered `msg_too_long` or
   * `msg_blocks_too_long` (issue 5, item 7). Halves the text budget and leaves out long descriptions.
   */
  compact?: boolean;
}

/** Herald's own option values must stay within 75 characters (see MAX_OPTION_VALUE), "24h:" included. */
export const MAX_GROUP_ID_LENGTH = 64;
