// Who may change Herald's configuration in a workspace, as in W&B and Amplitude: workspace admins
// and owners (Slack's users.info says so), the person who installed Herald, and managers those add.
// Everyone else may look (help, list, silence list) but not touch.
import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/database.js';
import type { Logger } from '../log.js';

/** `admin`: a workspace admin or owner, or the installer. `manager`: a Manager row. */
export type Role = 'admin' | 'manager' | 'member';
/** What a command or button needs: `configure` is managers and admins, `admin` admins only. */
export type Permission = 'anyone' | 'configure' | 'admin';

export function roleAllows(role: Role, needed: Permission): boolean {
  if (needed === 'anyone') return true;
  if (needed === 'configure') return role !== 'member';
  return role === 'admin';
}

/** Whether Slack says the user is a workspace admin or owner. */
export type AdminLookup = (userId: string) => Promise<boolean>;

/** users.info through the listener's client; AccessControl treats a failed lookup as "not an admin". */
export function slackAdminLookup(client: WebClient): AdminLookup {
  return async (userId) => {
    const { user } = await client.users.info({ user: userId });
    return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
  };
}

const ADMIN_CACHE_MS = 5 * 60_000;
const MAX_CACHED_USERS = 10_000;

/**
 * One per Herald process. Admin status comes from Slack and is cached a few minutes per user (it
 * rarely changes, and users.info is rate-limited); installer and managers come from the database on
 * every check, so `/herald managers add` takes effect at once.
 */
export class AccessControl {
  readonly #admins = new Map<string, { isAdmin: boolean; expiresAt: number }>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async roleOf(installationId: string, userId: string, isWorkspaceAdmin: AdminLookup): Promise<Role> {
    const installation = await this.db.installation.findUnique({ where: { id: installationId }, select: { installerUserId: true } });
    if (installation?.installerUserId === userId) return 'admin';
    if (await this.isAdmin(installationId, userId, isWorkspaceAdmin)) return 'admin';
    const manager = await this.db.manager.findUnique({ where: { installationId_userId: { installationId, userId } } });
    return manager ? 'manager' : 'member';
  }

  private async isAdmin(installationId: string, userId: string, lookup: AdminLookup): Promise<boolean> {
    const key = `${installationId}:${userId}`;
    const cached = this.#admins.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.isAdmin;
    let isAdmin: boolean;
    try {
      isAdmin = await lookup(userId);
    } catch (error) {
      this.log.warn({ installation: installationId, user: userId, err: (error as Error).message }, 'users.info failed; treating the user as no admin');
      return false;
    }
    if (this.#admins.size >= MAX_CACHED_USERS) this.#admins.clear();
    this.#admins.set(key, { isAdmin, expiresAt: this.now() + ADMIN_CACHE_MS });
    return isAdmin;
  }
}
