// `/herald audit`: the latest configuration changes, who made them and when.
import { slackDate } from '../../../render/slackDate.js';
import { escapeMrkdwn } from '../../../render/text.js';
import { AUDIT_PAGE, latestAudit } from '../../../setup/audit.js';
import { reply, type Subcommand } from './context.js';

export const audit: Subcommand = {
  path: ['audit'],
  args: '',
  summary: `the latest ${AUDIT_PAGE} configuration changes`,
  example: '/herald audit',
  permission: 'configure',
  async run(ctx) {
    const entries = await latestAudit(ctx.db, ctx.actor.installationId);
    if (entries.length === 0) return reply('No configuration changes yet.');
    // Details hold `<@U…>` mentions written by Herald itself (managers); everything else is escaped.
    const lines = entries.map((entry) => `• ${slackDate(entry.createdAt)} <@${entry.actorId}> \`${entry.action}\` ${escapeMentionsKept(entry.detail)}`);
    return reply([`*Latest configuration changes*`, ...lines].join('\n'));
  },
};

function escapeMentionsKept(detail: string): string {
  return escapeMrkdwn(detail).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, '<@$1>');
}
