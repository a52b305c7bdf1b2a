// The one message that shows a new ingest token (and signing secret): the secret, then a ready-made
// configuration per monitor. Herald keeps only a hash, so this is the only time it can be copied.
import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../render/text.js';
import type { Snippet } from '../../setup/snippets.js';
import type { NewToken } from '../../setup/tokens.js';

/** What `--silence-writeback` does, said when it is turned on: Herald will call a URL the sender chose. */
const SILENCE_WRITE_BACK =
  "*Silence write-back:* on. The Silence button on alerts sent with this token also creates the silence in the Alertmanager that sent them, at the `externalURL` in their payload (only Alertmanager sends one), so it stops there too. Herald then calls a URL the sender gave: use this only for Alertmanagers you trust, and which Herald can reach.";

export function tokenCreatedMessage(token: NewToken, snippets: Snippet[]): { text: string; blocks: KnownBlock[] } {
  const text = `Ingest token ${token.name} created. Copy it now: Herald will not show it again.`;
  const secrets = [`*Token:* \`${token.token}\``];
  if (token.signingSecret) secrets.push(`*Signing secret:* \`${token.signingSecret}\``);
  if (token.allowedNetworks.length) secrets.push(`*Accepted only from:* ${token.allowedNetworks.join(', ')}`);
  if (token.silenceWriteBack) secrets.push(SILENCE_WRITE_BACK);
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
