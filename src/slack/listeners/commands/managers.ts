// `/herald managers add|remove|list`: who besides admins may change Herald's configuration.
import { addManager, listManagers, removeManager } from '../../../setup/managers.js';
import { slackErrorCode } from '../../../setup/slackErrors.js';
import { reply, type CommandContext, type Reply, type Subcommand } from './context.js';
import { userArg } from './parse.js';

/** A person Slack knows and who is not a bot, or why not. */
async function checkPerson(ctx: CommandContext, userId: string): Promise<Reply | null> {
  try {
    const { user } = await ctx.slack.users.info({ user: userId });
    if (user?.is_bot) return reply(`<@${userId}> is a bot; managers are people.`);
    if (user?.deleted) return reply(`<@${userId}> has been deactivated.`);
    return null;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'user_not_found') return reply('Slack does not know that person in this workspace.');
    return reply(`Slack did not tell me about <@${userId}> (\`${code}\`): try again in a moment.`);
  }
}

export const managersAdd: Subcommand = {
  path: ['managers', 'add'],
  args: '@person',
  summary: 'let someone change channels, tokens and silences',
  example: '/herald managers add @ana',
  permission: 'admin',
  async run(ctx, args) {
    const userId = userArg(args[0], 'managers add');
    const problem = await checkPerson(ctx, userId);
    if (problem) return problem;
    const added = await addManager(ctx.db, ctx.actor, userId);
    return reply(added ? `:white_check_mark: <@${userId}> is now a Herald manager.` : `<@${userId}> already is a Herald manager.`);
  },
};

export const managersRemove: Subcommand = {
  path: ['managers', 'remove'],
  args: '@person',
  summary: 'take that back',
  example: '/herald managers remove @ana',
  permission: 'admin',
  async run(ctx, args) {
    const userId = userArg(args[0], 'managers remove');
    const removed = await removeManager(ctx.db, ctx.actor, userId);
    return reply(removed ? `:white_check_mark: <@${userId}> is no longer a Herald manager.` : `<@${userId}> is not a Herald manager.`);
  },
};

export const managersList: Subcommand = {
  path: ['managers', 'list'],
  args: '',
  summary: "Herald's managers",
  example: '/herald managers list',
  permission: 'configure',
  async run(ctx) {
    const managers = await listManagers(ctx.db, ctx.actor.installationId);
    const names = managers.map((manager) => `<@${manager.userId}>`);
    const who = names.length ? `Managers: ${names.join(', ')}.` : 'No managers added yet.';
    return reply(`${who} Workspace admins and owners, and the person who installed Herald, may always change its configuration.`);
  },
};
