// Alert channels of an installation: at most 20, enforced by the database. Each channel holds one
// of the slots 1–20, unique per installation, so concurrent adds cannot exceed the limit.
import type { Db } from '../db/database.js';

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
