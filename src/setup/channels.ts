// Alert channels of an installation: at most 20, enforced by the database. Each channel holds one
// of the slots 1–20, unique per installation, so concurrent adds cannot exceed the limit.
import type { Db } from '../db/database.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';

export const MAX_CHANNELS = 20;

export class ChannelLimitReached extends Error {
  constructor() {
    super(`this workspace already has ${MAX_CHANNELS} alert channels, the most Herald allows`);
    this.name = 'ChannelLimitReached';
  }
}

export interface ChannelInput {
  installationId: string;
  channelId: string;
  name: string;
  addedBy: string;
  /** Filters as typed; undefined keeps a channel's current filters. */
  filters?: string;
}

/** Adds the channel, or updates its name and filters when it is already there. */
export async function addChannel(db: Db, input: ChannelInput): Promise<{ created: boolean }> {
  const { installationId, channelId, name, addedBy, filters } = input;
  const key = { installationId_channelId: { installationId, channelId } };
  for (let attempt = 0; attempt <= MAX_CHANNELS; attempt++) {
    const existing = await db.channel.findUnique({ where: key });
    if (existing) {
      await db.channel.update({ where: key, data: { name, ...(filters === undefined ? {} : { filters }) } });
      return { created: false };
    }
    const taken = new Set((await db.channel.findMany({ where: { installationId }, select: { slot: true } })).map((c) => c.slot));
    const slot = Array.from({ length: MAX_CHANNELS }, (_, i) => i + 1).find((s) => !taken.has(s));
    if (slot === undefined) throw new ChannelLimitReached();
    try {
      await db.channel.create({ data: { installationId, channelId, name, addedBy, slot, filters: filters ?? '' } });
      return { created: true };
    } catch (error) {
      // Another add took this slot (or added this channel) since we looked: look again.
      if ((error as { code?: string }).code !== 'P2002') throw error;
    }
  }
  throw new ChannelLimitReached();
}

// ── Changes people make with /herald and the App Home; each is audited. ─────────────────────────

/** Adds or updates a channel for `actor`, as `/herald add` does; throws ChannelLimitReached when full. */
export async function configureChannel(
  db: Db,
  actor: Actor,
  channel: { channelId: string; name: string; filters: string },
): Promise<{ created: boolean }> {
  const result = await addChannel(db, { installationId: actor.installationId, addedBy: actor.userId, ...channel });
  const filters = channel.filters === '' ? 'no filters' : `filters ${channel.filters}`;
  await recordAudit(db, actor, result.created ? 'channel.add' : 'channel.update', `#${channel.name} (${channel.channelId}), ${filters}`);
  return result;
}

/** Removes the channel, freeing its slot; null when it was not configured. */
export async function removeChannel(db: Db, actor: Actor, channelId: string) {
  const channel = await findChannel(db, actor.installationId, channelId);
  if (!channel) return null;
  const { count } = await db.channel.deleteMany({ where: { id: channel.id } });
  if (count === 0) return null; // removed by someone else meanwhile
  await recordAudit(db, actor, 'channel.remove', `#${channel.name} (${channelId})`);
  return channel;
}

/** Mutes a configured channel until `until`, or unmutes it with null; null when it is not configured. */
export async function setChannelMute(db: Db, actor: Actor, channelId: string, until: Date | null) {
  const { count } = await db.channel.updateMany({ where: { installationId: actor.installationId, channelId }, data: { mutedUntil: until } });
  const channel = count === 0 ? null : await findChannel(db, actor.installationId, channelId);
  if (!channel) return null;
  await recordAudit(db, actor, until ? 'channel.mute' : 'channel.unmute', `#${channel.name} (${channelId})${until ? ` until ${until.toISOString()}` : ''}`);
  return channel;
}

export function listChannels(db: Db, installationId: string) {
  return db.channel.findMany({ where: { installationId }, orderBy: { slot: 'asc' } });
}

export function findChannel(db: Db, installationId: string, channelId: string) {
  return db.channel.findUnique({ where: { installationId_channelId: { installationId, channelId } } });
}

/** What the last post to a channel did: the time on success, Slack's error otherwise. */
export async function recordDelivery(db: Db, channelRowId: string, outcome: { at: Date; error: string | null }): Promise<void> {
  const data = outcome.error === null ? { lastDeliveryAt: outcome.at, lastError: null } : { lastError: outcome.error };
  await db.channel.updateMany({ where: { id: channelRowId }, data });
}
