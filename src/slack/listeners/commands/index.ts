// The /herald slash command. Slack wants an answer within 3 seconds, so the command is acknowledged
// at once, with nothing to show; the work follows, and the answer goes to the response_url, visible
// only to the person who typed the command.
import type { App } from '@slack/bolt';
import { slackAdminLookup } from '../../../setup/permissions.js';
import { installationOf, type CommandContext, type Reply, type SetupDeps } from './context.js';
import { dispatch } from './dispatch.js';
import { SUBCOMMANDS } from './subcommands.js';

const FAILED: Reply = { text: ':boom: Something went wrong on Herald’s side; it is in Herald’s log. Please try again in a moment.' };

export function registerHeraldCommand(app: App, deps: SetupDeps): void {
  app.command('/herald', async ({ command, ack, respond, client, context }) => {
    await ack();
    const actor = { installationId: installationOf(context), userId: command.user_id };
    let role: ReturnType<CommandContext['role']> | undefined;
    const ctx: CommandContext = {
      actor,
      slack: client,
      db: deps.db,
      delivery: deps.delivery,
      box: deps.box,
      config: deps.config,
      now: new Date(),
      role: () => (role ??= deps.access.roleOf(actor.installationId, actor.userId, slackAdminLookup(client))),
    };
    const text = typeof command.text === 'string' ? command.text : ''; // signed, yet not always well-formed
    const answer = await dispatch(ctx, text, SUBCOMMANDS).catch((error: unknown) => {
      deps.log.error({ err: (error as Error).message, installation: actor.installationId, subcommand: text.split(' ')[0] }, '/herald failed');
      return FAILED;
    });
    await respond({ response_type: 'ephemeral', ...answer });
  });
}
