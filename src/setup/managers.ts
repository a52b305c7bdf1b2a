// Managers: users an admin allowed to change Herald's configuration (`/herald managers add @user`).
import type { Db } from '../db/database.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';

/** Returns false when the user already was a manager. */
export async function addManager(db: Db, actor: Actor, userId: string): Promise<boolean> {
  try {
    await db.manager.create({ data: { installationId: actor.installationId, userId, addedBy: actor.userId } });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return false;
    throw error;
  }
  await recordAudit(db, actor, 'manager.add', `<@${userId}>`);
  return true;
}

/** Returns false when the user was not a manager. */
export async function removeManager(db: Db, actor: Actor, userId: string): Promise<boolean> {
  const { count } = await db.manager.deleteMany({ where: { installationId: actor.installationId, userId } });
  if (count === 0) return false;
  await recordAudit(db, actor, 'manager.remove', `<@${userId}>`);
  return true;
}

export function listManagers(db: Db, installationId: string) {
  return db.manager.findMany({ where: { installationId }, orderBy: { createdAt: 'asc' } });
}
