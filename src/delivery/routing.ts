// Which channels an alert goes to (issue 5, item 1). Pure: the channels, silences and clock come in.
//
// A firing alert goes to every channel of its workspace that is not muted, not broken, whose
// filters match, and that no active silence covers. A resolved alert passes mutes and silences:
// it only ever updates a message already posted (turning it green), never posts a new one, so a
// silence set on a firing group cannot leave its message red for ever. Likewise a broken channel
// takes resolved alerts: the update waits in the outbox until the channel is repaired.
import type { Alert } from '../alerts/alert.js';
import { channelAccepts } from '../alerts/filters.js';
import { silenceCovers, type SilenceWindow } from '../alerts/silences.js';

export interface RoutableChannel {
  id: string;
  filters: string;
  mutedUntil: Date | null;
  brokenAt: Date | null;
}

export function routeAlert<C extends RoutableChannel>(alert: Alert, channels: readonly C[], silences: readonly SilenceWindow[], now: Date): C[] {
  const firing = alert.status === 'firing';
  if (firing && silences.some((silence) => silenceCovers(silence, alert, now))) return [];
  return channels.filter((channel) => {
    if (firing && channel.brokenAt !== null) return false;
    if (firing && channel.mutedUntil !== null && channel.mutedUntil > now) return false;
    return channelAccepts(channel.filters, alert);
  });
}
