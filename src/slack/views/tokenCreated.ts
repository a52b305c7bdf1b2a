// The one message that shows a new ingest token (and signing secret): the secret, then a ready-made
// configuration per monitor. Herald keeps only a hash, so this is the only time it can be copied.
import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../render/text.js';
import type { Snippet } from '../../setup/snippets.js';
import type { NewToken } from '../../setup/tokens.js';

export function tokenCreatedMessage(token: NewToken, snippets: Snippet[]): { text: string; blocks: KnownBlock[] } {
  const text = `Ingest token ${token.name} created. Copy it now: Herald will not show it again.`;
  const secrets = [`*Token:* \`${token.token}\``];
  if (token.signingSecret) secrets.push(`*Signing secret:* \`${token.signingSecret}\``);
  if (token.allowedNetworks.length) secrets.push(`*Accepted only from:* ${token.allowedNetworks.join(', ')}`);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:key: *${escapeMrkdwn(text)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: secrets.join('\n') } },
      ...snippets.map(
        (snippet): KnownBlock => ({
          type: 'section',
          text: { type: 'mrkdwn', text: `*${snippet.title}* — ${snippet.intro}\n\`\`\`${escapeMrkdwn(snippet.code)}\`\`\`` },
        }),
      ),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Lost it? \`/herald token revoke ${escapeMrkdwn(token.name)}\`, then create another.` }] },
    ],
  };
}
