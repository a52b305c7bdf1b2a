// The first message Herald posts, in the channel picked on Slack's install page: what just
// happened and the three commands that finish the setup.
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';

export function welcomeMessage(): { text: string; blocks: KnownBlock[] } {
  const text = 'Herald is installed: alerts will be posted in this channel.';
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:wave: *${text}*` } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            '*Finish the setup in a minute:*',
            '• `/herald token create prometheus` creates a token for your monitor and shows how to configure it',
            '• `/herald add #channel severity>=critical` sends matching alerts to another channel (up to 20)',
            '• `/herald test` sends a sample alert here',
          ].join('\n'),
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '`/herald help` lists every command.' }] },
    ],
  };
}

/** Posts the welcome message; returns false (and logs nothing secret) when Slack refuses. */
export async function postWelcome(client: WebClient, token: string, channelId: string): Promise<boolean> {
  try {
    await client.chat.postMessage({ token, channel: channelId, ...welcomeMessage() });
    return true;
  } catch {
    return false;
  }
}
