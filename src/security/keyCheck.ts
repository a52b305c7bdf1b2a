// Proves at start-up that HERALD_ENCRYPTION_KEY is the key this database's secrets were sealed
// with. Without this a changed key would only show up later, as failed Slack calls.
import type { Db } from '../db/database.js';
import { DecryptionError, type SecretBox } from './secretBox.js';

const CHECK_KEY = 'encryption-key-check';
const CHECK_TEXT = 'herald';

export class WrongEncryptionKey extends Error {
  constructor() {
    super('HERALD_ENCRYPTION_KEY is not the key this database was encrypted with. Restore the original key; a new key cannot read the stored Slack tokens.');
    this.name = 'WrongEncryptionKey';
  }
}

export async function verifyEncryptionKey(db: Db, box: SecretBox): Promise<void> {
  // On a database's first start this stores a value sealed with the current key; afterwards it
  // returns the value stored then. `upsert` keeps two processes starting at once from colliding.
  const stored = await db.setting.upsert({ where: { key: CHECK_KEY }, create: { key: CHECK_KEY, value: box.seal(CHECK_TEXT) }, update: {} });
  try {
    if (box.open(stored.value) === CHECK_TEXT) return;
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
  }
  throw new WrongEncryptionKey();
}
