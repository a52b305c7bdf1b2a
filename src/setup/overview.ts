// Everything the App Home shows about one installation, read in one go.
import type { Db } from '../db/database.js';
import { listChannels } from './channels.js';
import { activeSilences } from './silences.js';
import { listIngestTokens } from './tokens.js';

export async function loadOverview(db: Db, installationId: string, now: Date) {
  const [channels, tokens, silences] = await Promise.all([
    listChannels(db, installationId),
    listIngestTokens(db, installationId),
    activeSilences(db, installationId, now),
  ]);
  return { channels, tokens, silences };
}

export type Overview = Awaited<ReturnType<typeof loadOverview>>;
