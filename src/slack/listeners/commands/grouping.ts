// `/herald grouping [#channel] [KEY=VALUE…|reset [KEY…]]`: how alerts are grouped into messages
// and how often a group is posted again, for the workspace or one channel. Anyone may look;
// changing needs a manager, checked here because looking and changing share the one command.
import { formatDuration } from '../../../alerts/duration.js';
import { effectiveGrouping, type GroupingColumns } from '../../../delivery/groupingSettings.js';
import { findChannel, listChannels } from '../../../setup/channels.js';
import {
  GROUPING_COLUMN,
  GROUPING_KEYS,
  NOTHING_SET,
  groupingKey,
  keysSet,
  parseGroupingChanges,
  resetGrouping,
  setGrouping,
  workspaceGrouping,
  type GroupingKey,
} from '../../../setup/grouping.js';
import { roleAllows } from '../../../setup/permissions.js';
import { describeGrouping, describeOwnGrouping } from '../../views/describe.js';
import { UsageError, reply, warning, type CommandContext, type Reply, type Subcommand } from './context.js';
import { refusal } from './dispatch.js';
import { channelArg, isChannelWord } from './parse.js';

const KEY_LIST = GROUPING_KEYS.join(', ');

const EXPLAINED = [
  "`group_by`: the labels whose values put alerts in one message (`...` for every label) · `group_wait`: how long a new group waits for more alerts before its first message · `group_interval`: how long before a group's message shows changes (alerts joining or resolving) · `repeat_interval`: how long a group that still fires, unchanged, waits before Herald reminds the channel.",
  '`/herald grouping [#channel] KEY=VALUE…` changes them; `/herald grouping [#channel] reset` goes back to what is inherited.',
].join('\n');

const notConfigured = (channelId: string) => reply(`<#${channelId}> is not an alert channel; \`/herald list\` shows those that are.`);

export const grouping: Subcommand = {
  path: ['grouping'],
  args: '[#channel] [KEY=VALUE…|reset [KEY…]]',
  summary: `show or change how alerts are grouped into messages, for the workspace or one channel (${KEY_LIST}, as in Alertmanager; changes need a manager)`,
  example: '/herald grouping group_by=alertname,cluster repeat_interval=4h',
  permission: 'anyone',
  async run(ctx, args) {
    const first = args[0];
    const channelId = first !== undefined && isChannelWord(first) ? channelArg(first, 'grouping').channelId : null;
    const rest = channelId === null ? args : args.slice(1);
    if (rest.some((word) => word.startsWith('<#') || word.startsWith('#'))) throw new UsageError('the channel goes first, right after grouping.');
    if (rest.length === 0) return show(ctx, channelId);
    if (!roleAllows(await ctx.role(), 'configure')) return refusal('configure');
    return rest[0]?.toLowerCase() === 'reset' ? reset(ctx, channelId, rest.slice(1)) : change(ctx, channelId, rest);
  },
};

async function show(ctx: CommandContext, channelId: string | null): Promise<Reply> {
  const workspace = await workspaceGrouping(ctx.db, ctx.actor.installationId);
  if (channelId !== null) {
    const channel = await findChannel(ctx.db, ctx.actor.installationId, channelId);
    if (!channel) return notConfigured(channelId);
    return reply([`*Alert grouping in <#${channelId}>*`, describeGrouping(workspace, channel), EXPLAINED].join('\n'));
  }
  const channels = await listChannels(ctx.db, ctx.actor.installationId);
  const overriding = channels.flatMap((channel) => {
    const own = describeOwnGrouping(channel);
    return own === null ? [] : [`• <#${channel.channelId}> ${own}`];
  });
  return reply(
    [
      '*Alert grouping for this workspace*',
      describeGrouping(workspace, null),
      ...(overriding.length ? ['*Channels with settings of their own*', ...overriding] : ['Every alert channel uses these.']),
      EXPLAINED,
    ].join('\n'),
  );
}

async function change(ctx: CommandContext, channelId: string | null, words: string[]): Promise<Reply> {
  const changes = parseGroupingChanges(words);
  if (!changes.ok) return warning(`${changes.error}.`);
  if (!(await setGrouping(ctx.db, ctx.actor, channelId, changes.value))) return notConfigured(channelId ?? '');
  const changed = GROUPING_KEYS.filter((key) => changes.value[GROUPING_COLUMN[key]] !== undefined);
  return settled(ctx, channelId, '', changed);
}

async function reset(ctx: CommandContext, channelId: string | null, words: string[]): Promise<Reply> {
  const keys: GroupingKey[] = [];
  for (const word of words) {
    const key = groupingKey(word);
    if (key === undefined) return warning(`"${word}" is not a setting to reset: the settings are ${KEY_LIST}, or none to reset them all.`);
    if (!keys.includes(key)) keys.push(key);
  }
  if (!(await resetGrouping(ctx.db, ctx.actor, channelId, keys.length ? keys : GROUPING_KEYS))) return notConfigured(channelId ?? '');
  const what = keys.length ? keys.join(', ') : 'every setting';
  const lead = channelId === null ? `The workspace uses Herald's default again for ${what}. ` : `<#${channelId}> follows the workspace again for ${what}. `;
  return settled(ctx, channelId, lead, []);
}

/** What is in force now, after a change, and what people may not expect of it. */
async function settled(ctx: CommandContext, channelId: string | null, lead: string, changed: GroupingKey[]): Promise<Reply> {
  const workspace = await workspaceGrouping(ctx.db, ctx.actor.installationId);
  const channel = channelId === null ? null : await findChannel(ctx.db, ctx.actor.installationId, channelId);
  const where = channelId === null ? 'for this workspace' : `in <#${channelId}>`;
  const notes = [intervalNote(workspace, channel ?? NOTHING_SET)];
  if (channelId === null) notes.push(await overriddenNote(ctx, changed));
  return reply([`:white_check_mark: ${lead}Grouping ${where} is now ${describeGrouping(workspace, channel)}.`, ...notes.filter((note) => note !== null)].join('\n'));
}

/** A group is looked at once per group_interval, so a shorter repeat_interval cannot repeat any sooner. */
function intervalNote(workspace: GroupingColumns, channel: GroupingColumns): string | null {
  const { timing } = effectiveGrouping(workspace, channel);
  if (timing.repeatIntervalMs >= timing.groupIntervalMs) return null;
  const interval = formatDuration(timing.groupIntervalMs);
  return `:information_source: repeat_interval (${formatDuration(timing.repeatIntervalMs)}) is shorter than group_interval (${interval}): Herald looks at a group once per group_interval, so repeats come at most once every ${interval}.`;
}

/** Channels whose own settings keep them from following the workspace change. */
async function overriddenNote(ctx: CommandContext, changed: GroupingKey[]): Promise<string | null> {
  const channels = (await listChannels(ctx.db, ctx.actor.installationId)).filter((channel) => keysSet(channel).some((key) => changed.includes(key)));
  if (channels.length === 0) return null;
  const names = channels.map((channel) => `<#${channel.channelId}>`).join(', ');
  return `${names} keep${channels.length === 1 ? 's' : ''} settings of ${channels.length === 1 ? 'its' : 'their'} own for this; \`/herald grouping #channel reset\` makes a channel follow the workspace.`;
}
