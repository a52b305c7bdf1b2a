// `/herald token create|list|revoke`: the secrets monitors send alerts with.
import { escapeMrkdwn } from '../../../render/text.js';
import { parseNetworkList } from '../../../setup/networks.js';
import { ingestSnippets } from '../../../setup/snippets.js';
import { TokenNameTaken, createIngestToken, listIngestTokens, revokeIngestToken, validateTokenName } from '../../../setup/tokens.js';
import { describeToken } from '../../views/describe.js';
import { tokenCreatedMessage } from '../../views/tokenCreated.js';
import { UsageError, reply, warning, type Subcommand } from './context.js';
import { splitOptions } from './parse.js';

export const tokenCreate: Subcommand = {
  path: ['token', 'create'],
  args: 'NAME [--signed] [--from CIDR,…] [--silence-writeback]',
  summary:
    "a token for a monitor, shown once with ready-made Alertmanager, Grafana, W&B and curl settings; `--signed` adds an HMAC signing secret, `--from` limits where it may be used, `--silence-writeback` lets Silence buttons also silence in the Alertmanager that sent the alert",
  example: '/herald token create prometheus --from 10.0.0.0/8',
  permission: 'configure',
  async run(ctx, args) {
    const parsed = splitOptions(args, { flags: ['signed', 'silence-writeback'], values: ['from'] });
    if (!parsed.ok) throw new UsageError(`${parsed.error}.`);
    const [name, extra] = parsed.value.positional;
    if (name === undefined) throw new UsageError('token create needs a name for the token, such as the monitor it is for.');
    if (extra !== undefined) throw new UsageError('a token name is one word.');
    const validName = validateTokenName(name);
    if (!validName.ok) return warning(`${validName.error}.`);
    const from = parsed.value.values.get('from');
    const networks = from === undefined ? { ok: true as const, value: [] } : parseNetworkList(from);
    if (!networks.ok) return warning(`${networks.error}.`);
    try {
      const created = await createIngestToken(ctx.db, ctx.box, ctx.actor, {
        name: validName.value,
        signed: parsed.value.flags.has('signed'),
        allowedNetworks: networks.value,
        silenceWriteBack: parsed.value.flags.has('silence-writeback'),
      });
      return tokenCreatedMessage(created, ingestSnippets({ publicUrl: ctx.config.publicUrl, token: created.token, signingSecret: created.signingSecret }));
    } catch (error) {
      if (error instanceof TokenNameTaken) return reply(`:warning: A token named ${name} already exists: pick another name, or \`/herald token revoke ${name}\` first.`);
      throw error;
    }
  },
};

export const tokenList: Subcommand = {
  path: ['token', 'list'],
  args: '',
  summary: 'the tokens in use: names, who made them, when they were last used (never the secrets)',
  example: '/herald token list',
  permission: 'configure',
  async run(ctx) {
    const tokens = await listIngestTokens(ctx.db, ctx.actor.installationId);
    if (tokens.length === 0) return reply('No ingest tokens yet. `/herald token create NAME` makes one.');
    return reply(['*Ingest tokens*', ...tokens.map((token) => `• ${describeToken(token)}`)].join('\n'));
  },
};

export const tokenRevoke: Subcommand = {
  path: ['token', 'revoke'],
  args: 'NAME',
  summary: 'stop accepting alerts sent with a token',
  example: '/herald token revoke prometheus',
  permission: 'configure',
  async run(ctx, args) {
    const [name] = args;
    if (name === undefined) throw new UsageError('token revoke needs the name of the token.');
    const revoked = await revokeIngestToken(ctx.db, ctx.actor, name, ctx.now);
    if (!revoked) return reply(`There is no token named ${escapeMrkdwn(name)} in use; \`/herald token list\` shows them.`);
    return reply(`:white_check_mark: Revoked ${escapeMrkdwn(name)}: alerts sent with it are refused within seconds.`);
  },
};
