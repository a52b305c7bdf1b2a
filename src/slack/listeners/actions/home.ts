// The App Home's buttons: send a test, remove a channel, expire a silence. Each checks again that
// the person may change the configuration (roles change after a view is drawn), then re-publishes
// the home with a line saying what happened.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { findChannel, removeChannel } from '../../../setup/channels.js';
import { roleAllows, slackAdminLookup } from '../../../setup/permissions.js';
import { expireSilence, shortId } from '../../../setup/silences.js';
import { explainPostFailure } from '../../../setup/slackErrors.js';
import { sendTestAlert } from '../../../setup/testAlert.js';
import type { Actor } from '../../../setup/actor.js';
import { HOME_ACTIONS } from '../../views/homeActions.js';
import { installationOf, type SetupDeps } from '../commands/context.js';
import { publishHome } from '../events/appHome.js';

/** What a button does, given who pressed it and the button's value; returns the notice to show. */
type HomeAction = (deps: SetupDeps, client: WebClient, actor: Actor, value: string) => Promise<string>;

const REFUSED = ":no_entry: Only workspace admins and owners, the person who installed Herald, and Herald's managers can change its configuration.";

const sendTest: HomeAction = async (deps, _client, actor, channelId) => {
  const channel = await findChannel(deps.db, actor.installationId, channelId);
  if (!channel) return `<#${channelId}> is no longer an alert channel.`;
  const outcome = await sendTestAlert({ db: deps.db, delivery: deps.delivery, now: new Date() }, channel);
  if ('queued' in outcome) return `:hourglass_flowing_sand: The test alert to <#${channelId}> is queued: Slack is slow or rate-limiting; it will arrive.`;
  return outcome.ok ? `:white_check_mark: Test alert sent to <#${channelId}>.` : `:x: The test alert to <#${channelId}> failed: ${explainPostFailure(outcome.code)}.`;
};

const remove: HomeAction = async (deps, _client, actor, channelId) => {
  const removed = await removeChannel(deps.db, actor, channelId);
  return removed ? `:white_check_mark: Removed <#${channelId}>: Herald no longer posts alerts there.` : `<#${channelId}> was already removed.`;
};

const expire: HomeAction = async (deps, _client, actor, silenceId) => {
  const outcome = await expireSilence(deps.db, actor, silenceId, new Date());
  return 'expired' in outcome ? `:white_check_mark: Expired silence \`${shortId(silenceId)}\`.` : `Silence \`${shortId(silenceId)}\` had already ended.`;
};

export function registerHomeActions(app: App, deps: SetupDeps): void {
  const handlers: [string, HomeAction][] = [
    [HOME_ACTIONS.sendTest, sendTest],
    [HOME_ACTIONS.removeChannel, remove],
    [HOME_ACTIONS.expireSilence, expire],
  ];
  for (const [actionId, handle] of handlers) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, context }) => {
      await ack();
      const actor = { installationId: installationOf(context), userId: body.user.id };
      const role = await deps.access.roleOf(actor.installationId, actor.userId, slackAdminLookup(client));
      const notice = roleAllows(role, 'configure') ? await handle(deps, client, actor, typeof action.value === 'string' ? action.value : '') : REFUSED;
      await publishHome(deps, client, actor, notice);
    });
  }
}
