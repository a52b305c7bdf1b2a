// Finds the subcommand a /herald text names, checks the person may run it, runs it, and turns bad
// input into a clear answer: every text gets a reply, never an exception.
import { roleAllows, type Permission } from '../../../setup/permissions.js';
import { escapeMrkdwn } from '../../../render/text.js';
import { UsageError, reply, warning, type CommandContext, type Reply, type Subcommand } from './context.js';
import { commandWords } from './parse.js';

const REFUSALS: Record<Exclude<Permission, 'anyone'>, string> = {
  configure:
    ":no_entry: Only workspace admins and owners, the person who installed Herald, and Herald's managers can change its configuration. An admin can make you a manager with `/herald managers add @you`.",
  admin: ':no_entry: Only workspace admins and owners, and the person who installed Herald, can change who manages Herald.',
};

export async function dispatch(ctx: CommandContext, text: string, subcommands: Subcommand[]): Promise<Reply> {
  const words = commandWords(text);
  if (!words.ok) return warning(`${capitalize(words.error)}.`);
  // `/herald` alone shows the help.
  const subcommand = findSubcommand(words.value.length ? words.value : ['help'], subcommands);
  if (!subcommand) {
    const typed = words.value.slice(0, 2).join(' ');
    return reply(`:thinking_face: I don't know \`/herald ${escapeMrkdwn(typed)}\`. \`/herald help\` lists every command.`);
  }
  if (subcommand.permission !== 'anyone' && !roleAllows(await ctx.role(), subcommand.permission)) {
    return refusal(subcommand.permission);
  }
  try {
    return await subcommand.run(ctx, words.value.slice(subcommand.path.length));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reply(`:warning: ${escapeMrkdwn(error.message)}\nUsage: \`${usageOf(subcommand)}\`, for example \`${subcommand.example}\``);
  }
}

/** The answer to someone who may not do what they asked; for subcommands that check part of their work themselves. */
export const refusal = (permission: Exclude<Permission, 'anyone'>): Reply => reply(REFUSALS[permission]);

/** The subcommand with the longest path the words begin with (`silence list` before `silence`). */
function findSubcommand(words: string[], subcommands: Subcommand[]): Subcommand | undefined {
  const lowered = words.map((word) => word.toLowerCase());
  return subcommands
    .filter((s) => s.path.every((part, i) => lowered[i] === part))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

export function usageOf(subcommand: Subcommand): string {
  return ['/herald', ...subcommand.path, subcommand.args].filter(Boolean).join(' ');
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
