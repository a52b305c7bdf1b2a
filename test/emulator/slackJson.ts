// Objects shaped as Slack returns them (users, conversations, messages), built from the emulator's records.
import type { EmulatorCore } from './core.js';
import type { Channel, User } from './state.js';
import type { PostedMessage } from './types.js';

export function userJson(user: User): Record<string, unknown> {
  return {
    id: user.id,
    team_id: user.teamId,
    name: user.name,
    real_name: user.realName,
    deleted: user.deleted,
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isPrimaryOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    tz: 'Etc/UTC',
    tz_offset: 0,
    profile: { real_name: user.realName, display_name: user.name, bot_id: user.botId, team: user.teamId },
  };
}

/** `viewerId` is the user (often the bot) whose token asks, for `is_member`. */
export function channelJson(channel: Channel, viewerId: string): Record<string, unknown> {
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    is_archived: channel.isArchived,
    is_general: channel.name === 'general',
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_member: channel.members.has(viewerId),
    created: channel.created,
    context_team_id: channel.teamId,
    num_members: channel.members.size,
  };
}

export function messageJson(core: EmulatorCore, message: PostedMessage): Record<string, unknown> {
  return {
    type: 'message',
    // A broadcast reply is a thread_broadcast message, as Slack's events and history show it.
    subtype: message.replyBroadcast ? 'thread_broadcast' : undefined,
    text: message.text ?? '',
    user: message.user,
    bot_id: message.bot_id,
    app_id: core.options.appId,
    team: message.teamId,
    ts: message.ts,
    thread_ts: message.thread_ts,
    blocks: message.blocks,
    attachments: message.attachments,
    metadata: message.metadata,
    edited: message.edits > 0 ? { user: message.user, ts: message.ts } : undefined,
    bot_profile: message.bot_id
      ? { id: message.bot_id, app_id: core.options.appId, name: core.options.appName, team_id: message.teamId }
      : undefined,
  };
}
