// Bolt's InstallationStore on Prisma. One row per workspace, or per Enterprise Grid org for an
// org-wide install. The Installation object Slack gave us (bot token, refresh token, incoming
// webhook URL…) is stored whole and encrypted; the columns beside it are what Herald queries.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from '../db/database.js';
import type { SecretBox } from '../security/secretBox.js';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** The row key: the enterprise ID for org-wide installs, the team ID otherwise. */
export function installationId(query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!id) throw new Error('an installation needs a team ID (or an enterprise ID for an org-wide install)');
  return id;
}

export class InstallationNotFound extends Error {
  constructor(id: string) {
    super(`no active installation for ${id}`);
    this.name = 'InstallationNotFound';
  }
}

export class PrismaInstallationStore implements InstallationStore {
  // @slack/oauth refreshes a rotating token by storing a shallow copy of the object
  // fetchInstallation returned, its `bot` object mutated in place. Remembering those `bot` objects
  // tells a refresh apart from a (re-)install, which matters: only an install moves `installedAt`,
  // the mark that makes stale uninstall events harmless.
  readonly #fetched = new WeakSet<object>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  async storeInstallation(installation: AnyInstallation): Promise<void> {
    const id = installationId({ ...installation, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
    const isRefresh = installation.bot !== undefined && this.#fetched.has(installation.bot);
    const columns = {
      teamId: installation.team?.id ?? null,
      teamName: installation.team?.name ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      enterpriseName: installation.enterprise?.name ?? null,
      isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
      appId: installation.appId ?? null,
      botId: installation.bot?.id ?? null,
      botUserId: installation.bot?.userId ?? null,
      installerUserId: installation.user.id,
      botScopes: (installation.bot?.scopes ?? []).join(','),
      botTokenExpiresAt: installation.bot?.expiresAt ? new Date(installation.bot.expiresAt * 1000) : null,
      secret: this.box.seal(JSON.stringify(installation)),
      active: true,
      uninstalledAt: null,
    };
    if (isRefresh) {
      await this.db.installation.update({ where: { id }, data: { botTokenExpiresAt: columns.botTokenExpiresAt, secret: columns.secret } });
      return;
    }
    await this.db.installation.upsert({
      where: { id },
      create: { id, ...columns },
      update: { ...columns, installedAt: new Date() },
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    return this.fetchById(installationId(query));
  }

  /** The decrypted Installation of an active row, by its key (team or enterprise ID). */
  async fetchById(id: string): Promise<AnyInstallation> {
    const row = await this.db.installation.findUnique({ where: { id } });
    if (!row || !row.active) throw new InstallationNotFound(id);
    const installation = JSON.parse(this.box.open(row.secret)) as AnyInstallation;
    if (installation.bot) this.#fetched.add(installation.bot);
    return installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.deactivate(installationId(query), new Date());
  }

  /**
   * Marks an installation uninstalled and erases its secrets. Idempotent. An uninstall that Slack
   * sent before the latest install (a late or repeated event) changes nothing.
   * Returns whether a row changed.
   */
  async deactivate(id: string, happenedAt: Date): Promise<boolean> {
    const { count } = await this.db.installation.updateMany({
      where: { id, active: true, installedAt: { lte: happenedAt } },
      data: { active: false, secret: '', uninstalledAt: new Date() },
    });
    return count > 0;
  }
}
