// The contract between the buttons on an alert message and the listeners that handle them:
// action ids and what their values carry. Listeners decode with `decodeActionValue`.

export const ACTION_IDS = {
  acknowledge: 'herald_ack',
  silence: 'herald_silence',
  resolve: 'herald_resolve',
} as const;

export const SILENCE_DURATIONS = ['1h', '4h', '24h'] as const;
export type SilenceDuration = (typeof SILENCE_DURATIONS)[number];

/** Link buttons (source, dashboard, …) get `herald_link_0`, `herald_link_1`, …; Slack still sends a payload to ack. */
export const LINK_ACTION_ID_PREFIX = 'herald_link_';

/**
 * Acknowledge and Resolve carry the bare group id. A silence option carries "4h:<groupId>": short,
 * because option values are limited (75 characters in @slack/types), and the duration never
 * contains the separator, so any group id splits back unambiguously.
 */
export function silenceOptionValue(duration: SilenceDuration, groupId: string): string {
  return `${duration}:${groupId}`;
}

export type HeraldAction =
  | { kind: 'acknowledge'; groupId: string }
  | { kind: 'resolve'; groupId: string }
  | { kind: 'silence'; groupId: string; duration: SilenceDuration };

/** The action a button press asks for, or null when the ids or value are not Herald's. */
export function decodeActionValue(actionId: unknown, value: unknown): HeraldAction | null {
  if (typeof value !== 'string' || value === '') return null;
  if (actionId === ACTION_IDS.acknowledge) return { kind: 'acknowledge', groupId: value };
  if (actionId === ACTION_IDS.resolve) return { kind: 'resolve', groupId: value };
  if (actionId !== ACTION_IDS.silence) return null;
  const separator = value.indexOf(':');
  const duration = value.slice(0, separator);
  const groupId = value.slice(separator + 1);
  if (separator < 0 || groupId === '' || !isSilenceDuration(duration)) return null;
  return { kind: 'silence', groupId, duration };
}

function isSilenceDuration(text: string): text is SilenceDuration {
  return (SILENCE_DURATIONS as readonly string[]).includes(text);
}
