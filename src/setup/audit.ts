// The audit log: every configuration change, who made it and when (`/herald audit`). Written by the
// setup functions themselves, right after the change, so no caller can forget it.
import type { Db } from '../db/database.js';
import type { Actor } from './actor.js';

export type AuditAction =
  | 'channel.add'
  | 'channel.update'
  | 'channel.remove'
  | 'channel.mute'
  | 'channel.unmute'
  | 'grouping.set'
  | 'grouping.reset'
  | 'token.create'
  | 'token.revoke'
  | 'silence.create'
  | 'silence.expire'
  | 'manager.add'
  | 'manager.remove'
  | 'alert.acknowledge'
  | 'alert.silence'
  | 'alert.resolve';

export const AUDIT_PAGE = 20;

/** Inside a transaction too: pass its client, so the entry commits (or not) with the change. */
export async function recordAudit(db: Pick<Db, 'auditEntry'>, actor: Actor, action: AuditAction, detail: string): Promise<void> {
  await db.auditEntry.create({ data: { installationId: actor.installationId, actorId: actor.userId, action, detail } });
}

/** The latest entries, newest first. */
export function latestAudit(db: Db, installationId: string, limit = AUDIT_PAGE) {
  return db.auditEntry.findMany({ where: { installationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
}
