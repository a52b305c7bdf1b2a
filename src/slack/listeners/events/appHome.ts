// The App Home tab: published when someone opens it, and again after each of its buttons, so it
// always shows the configuration as it is now.
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { loadOverview } from '../../../setup/overview.js';
import { roleAllows, slackAdminLookup } from '../../../setup/permissions.js';
import { appHomeView } from '../../views/appHome.js';
import { installationOf, type SetupDeps } from '../commands/context.js';

export function registerAppHome(app: App, deps: SetupDeps): void {
  app.event('app_home_opened', async ({ event, client, context }) => {
    // The Messages tab opens with the same event; Herald has no messages tab to draw.
    if (event.tab !== 'home') return;
    await publishHome(deps, client, { installationId: installationOf(context), userId: event.user });
  });
}

/** Draws the App Home for one person; buttons only for those who may change the configuration. */
export async function publishHome(deps: SetupDeps, client: WebClient, viewer: { installationId: string; userId: string }, notice?: string): Promise<void> {
  const now = new Date();
  const [overview, role] = await Promise.all([
    loadOverview(deps.db, viewer.installationId, now),
    deps.access.roleOf(viewer.installationId, viewer.userId, slackAdminLookup(client)),
  ]);
  const view = appHomeView({ ...overview, canConfigure: roleAllows(role, 'configure'), notice, now });
  await client.views.publish({ user_id: viewer.userId, view });
}
