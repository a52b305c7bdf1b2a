// The buttons on alert messages: Acknowledge, Silence 1h/4h/24h, Resolve. Only people of the
// workspace Herald is installed in may press them (a Slack Connect guest from another org may not);
// each press changes the group, queues the message update and is audited (src/delivery/groupActions.ts).
// The presser gets an ephemeral line saying what happened.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { parseDuration } from '../../../alerts/duration.js';
import { acknowledgeGroup, resolveGroup, silenceGroup, type GroupActionResult } from '../../../delivery/groupActions.js';
import { writeBackSilence } from '../../../delivery/silenceWriteBack.js';
import { ACTION_IDS, LINK_ACTION_ID_PREFIX, decodeActionValue, type HeraldAction } from '../../../render/index.js';
import type { Actor } from '../../../setup/actor.js';
import { installationOf } from '../commands/context.js';
import type { ListenerDeps } from '../index.js';

type Pressed = BlockAction<ButtonAction | StaticSelectAction>;

export function registerAlertButtons(app: App, deps: ListenerDeps): void {
  for (const actionId of [ACTION_IDS.acknowledge, ACTION_IDS.resolve, ACTION_IDS.silence]) {
    app.action<Pressed>(actionId, async ({ ack, body, action, context, respond }) => {
      await ack();
      const installationId = installationOf(context);
      if (!(await isMember(deps, installationId, body))) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: ':no_entry: Only members of the workspace Herald is installed in can act on its alerts.' });
        return;
      }
      const value = action.type === 'static_select' ? action.selected_option?.value : action.value;
      const pressed = decodeActionValue(action.action_id, value);
      if (!pressed) return; // not a value Herald wrote: nothing to do
      const text = await perform(deps, { installationId, userId: body.user.id }, pressed);
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  }
  // Link buttons open their URL in the browser; Slack still sends the press, which must be acknowledged.
  app.action(new RegExp(`^${LINK_ACTION_ID_PREFIX}`), async ({ ack }) => ack());
}

async function isMember(deps: ListenerDeps, installationId: string, body: Pressed): Promise<boolean> {
  const installation = await deps.db.installation.findUnique({ where: { id: installationId }, select: { teamId: true, enterpriseId: true, isEnterpriseInstall: true } });
  if (!installation) return false;
  if (installation.isEnterpriseInstall) return body.enterprise?.id === installation.enterpriseId && body.user.team_id !== undefined;
  return body.user.team_id === installation.teamId;
}

async function perform(deps: ListenerDeps, actor: Actor, pressed: HeraldAction): Promise<string> {
  const now = new Date();
  switch (pressed.kind) {
    case 'acknowledge':
      return done(await acknowledgeGroup(deps.db, actor, pressed.groupId, now), deps, ':eyes: Acknowledged: the message shows it was you.');
    case 'resolve':
      return done(await resolveGroup(deps.db, actor, pressed.groupId, now), deps, ':white_check_mark: Resolved by hand. If the alerts fire again, a new message is posted.');
    case 'silence': {
      const duration = parseDuration(pressed.duration);
      if (!duration.ok) return `:warning: ${duration.error}`;
      const result = await silenceGroup(deps.db, actor, pressed.groupId, duration.value, now);
      const text = done(result, deps, `:no_bell: Silenced for ${pressed.duration}: these alerts notify no channel until then.`);
      if (!result.ok) return text;
      const writeBack = await writeBackSilence(deps.db, actor, result.group, now, new Date(now.getTime() + duration.value));
      return writeBack === null ? text : `${text}\n${writeBack}`;
    }
  }
}

function done(result: GroupActionResult, deps: ListenerDeps, success: string): string {
  if (result.ok) {
    deps.delivery.wake();
    return success;
  }
  return result.reason === 'resolved' ? 'These alerts are already resolved.' : 'Herald no longer knows these alerts: their channel was removed from Herald, or they resolved longer ago than it keeps history.';
}
