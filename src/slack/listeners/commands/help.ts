// `/herald help` (and `/herald` alone): every subcommand with an example, made from the subcommand
// table itself so it cannot drift from what the command does.
import { escapeMrkdwn } from '../../../render/text.js';
import { reply, type Subcommand } from './context.js';
import { usageOf } from './dispatch.js';

export function helpSubcommand(all: () => Subcommand[]): Subcommand {
  return {
    path: ['help'],
    args: '',
    summary: 'this list',
    example: '/herald help',
    permission: 'anyone',
    run: async () => reply(helpText(all())),
  };
}

function helpText(subcommands: Subcommand[]): string {
  const lines = subcommands.map((s) => {
    const who = s.permission === 'anyone' ? '' : s.permission === 'admin' ? ' _(admins)_' : ' _(managers)_';
    return `• \`${escapeMrkdwn(usageOf(s))}\` — ${escapeMrkdwn(s.summary)}${who}\n      e.g. \`${escapeMrkdwn(s.example)}\``;
  });
  return [
    '*Herald* routes monitoring alerts to Slack channels. Commands:',
    ...lines,
    escapeMrkdwn('Filters: `severity>=LEVEL` (info < warning < error < critical) and label matchers `name=value`, `name!=value`, `name=~regex`, `name!~regex`. Durations: `30m`, `2h`, `1d`, `1h30m`.'),
    '_Managers_: workspace admins and owners, the person who installed Herald, and people added with `/herald managers add`.',
  ].join('\n');
}
