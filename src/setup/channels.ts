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

export interface AddedChannel {
  created: boolean;
  /** When the channel was broken (delivery had stopped) and adding it again repaired it: what Slack had said. */
  repaired: { brokenAt: Date; reason: string | null } | null;
}

/**
 * Adds the channel, or updates its name and filters when it is already there. Adding a broken
 * channel again is how people say they fixed it (unarchived it, invited Herald back), so it clears
 * the broken state, and with it the error that broke it: deliveries resume.
 */
export async function addChannel(db: Db, input: ChannelInput): Promise<AddedChannel> {
  const { installationId, channelId, name, addedBy, filters } = input;
  const key = { installationId_channelId: { installationId, channelId } };
  for (let attempt = 0; attempt <= MAX_CHANNELS; attempt++) {
    const existing = await db.channel.findUnique({ where: key });
    if (existing) {
      const repair = existing.brokenAt ? { brokenAt: null, brokenReason: null, lastError: null } : {};
      await db.channel.update({ where: key, data: { name, ...(filters === undefined ? {} : { filters }), ...repair } });
      return { created: false, repaired: existing.brokenAt ? { brokenAt: existing.brokenAt, reason: existing.brokenReason } : null };
    }
    const taken = new Set((await db.channel.findMany({ where: { installationId }, select: { slot: true } })).map((c) => c.slot));
    const slot = Array.from({ length: MAX_CHANNELS }, (_, i) => i + 1).find((s) => !taken.has(s));
    if (slot === undefined) throw new ChannelLimitReached();
    try {
      await db.channel.create({ data: { installationId, channelId, name, addedBy, slot, filters: filters ?? '' } });
      return { created: true, repaired: null };
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
): Promise<AddedChannel> {
  const result = await addChannel(db, { installationId: actor.installationId, addedBy: actor.userId, ...channel });
  const filters = channel.filters === '' ? 'no filters' : `filters ${channel.filters}`;
  const repaired = result.repaired ? `, repaired (broken since ${result.repaired.brokenAt.toISOString()}: ${result.repaired.reason ?? 'unknown'})` : '';
  await recordAudit(db, actor, result.created ? 'channel.add' : 'channel.update', `#${channel.name} (${channel.channelId}), ${filters}${repaired}`);
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
