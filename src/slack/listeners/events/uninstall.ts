// `app_uninstalled` and `tokens_revoked`: Slack took Herald's access away. The installation is
// deactivated (its secrets erased) so nothing is posted for the workspace afterwards. Slack may send
// both events, in any order, more than once, and late — even after a re-install; an event older
// than the latest install changes nothing.
import type { App } from '@slack/bolt';
import type { Logger } from '../../../log.js';
import { installationId, type PrismaInstallationStore } from '../../installationStore.js';

interface Envelope {
  team_id?: string;
  enterprise_id?: string;
  event_time?: number;
  authorizations?: { is_enterprise_install?: boolean }[];
}

export function registerUninstall(app: App, deps: { store: PrismaInstallationStore; log: Logger }): void {
  const deactivate = async (body: Envelope, why: string) => {
    const id = installationId({
      isEnterpriseInstall: body.authorizations?.[0]?.is_enterprise_install ?? false,
      enterpriseId: body.enterprise_id,
      teamId: body.team_id,
    });
    // event_time has whole seconds; the event happened within that second.
    const happenedAt = new Date(((body.event_time ?? Date.now() / 1000) + 1) * 1000 - 1);
    const changed = await deps.store.deactivate(id, happenedAt);
    deps.log.info({ installation: id, why, changed }, changed ? 'installation deactivated' : 'uninstall event ignored: already inactive or re-installed since');
  };

  app.event('app_uninstalled', async ({ body }) => deactivate(body as Envelope, 'app_uninstalled'));

  app.event('tokens_revoked', async ({ body, event }) => {
    // Herald holds only a bot token (it asks for no user scopes), so only a revoked bot token matters.
    if ((event.tokens?.bot ?? []).length > 0) await deactivate(body as Envelope, 'tokens_revoked');
  });
}
