// The accept store for the database Herald runs on.
import type { Database } from '../../../db/database.js';
import type { AcceptStore } from './acceptStore.js';
import { postgresAcceptStore } from './postgresAcceptStore.js';
import { sqliteAcceptStore } from './sqliteAcceptStore.js';

export type { AcceptStore } from './acceptStore.js';

export function openAcceptStore(database: Database): AcceptStore {
  const driver = database.driver;
  return driver.provider === 'sqlite' ? sqliteAcceptStore(driver.writer) : postgresAcceptStore(driver.pool);
}
