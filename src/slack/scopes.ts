// The bot scopes Herald asks for, each for something the code does. manifest.json lists the same.
export const BOT_SCOPES = [
  'chat:write', // post and update alert messages
  'chat:write.public', // post in public channels without being invited first
  'channels:read', // conversations.info on public channels: /herald add checks the channel exists and is not archived
  'groups:read', // conversations.info on private channels: whether Herald was invited
  'channels:history', // conversations.history: after a crash mid-post, find the message Slack may already show (no double post)
  'groups:history', // the same in private channels
  'commands', // the /herald slash command
  'incoming-webhook', // the channel picked on Slack's install page becomes the first alert channel
  'users:read', // users.info, to tell workspace admins from other members
];
