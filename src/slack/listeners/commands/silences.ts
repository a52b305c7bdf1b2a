// `/herald silence MATCHERS DURATION [comment]`, `silence list`, `silence expire ID`: Herald-side
// silences in Alertmanager's matcher syntax.
import { formatDuration, parseDuration } from '../../../alerts/duration.js';
import { parseSilenceMatchers } from '../../../alerts/silences.js';
import { slackDate } from '../../../render/slackDate.js';
import { cutText, escapeMrkdwn } from '../../../render/text.js';
import { activeSilences, createSilence, expireSilence, shortId } from '../../../setup/silences.js';
import { describeSilence } from '../../views/describe.js';
import { UsageError, reply, warning, type Subcommand } from './context.js';
import { freeText } from './parse.js';

const MAX_COMMENT = 500;

export const silenceCreate: Subcommand = {
  path: ['silence'],
  args: 'MATCHERS DURATION [comment]',
  summary: 'hold back alerts matching every matcher (comma-separated, Alertmanager syntax) for a while',
  example: '/herald silence alertname=DiskFull,env=~"prod.*" 2h disk being replaced',
  permission: 'configure',
  async run(ctx, args) {
    // The matchers are the words before the first one that reads as a duration, so
    // `{alertname=DiskFull, env=prod} 2h` works with or without the space after the comma.
    if (args.length === 0) throw new UsageError('silence needs matchers and a duration.');
    const durationAt = args.findIndex((word, i) => i > 0 && parseDuration(word).ok);
    if (durationAt === -1) throw new UsageError('silence needs a duration after the matchers, such as 30m, 2h or 1d.');
    const matchersText = args.slice(0, durationAt).join(' ');
    const matchers = parseSilenceMatchers(matchersText);
    if (!matchers.ok) return warning(`Invalid matchers: ${matchers.error}.`);
    const duration = parseDuration(args[durationAt] ?? '');
    if (!duration.ok) return warning(`${duration.error}.`); // not reached: findIndex chose a duration
    const endsAt = new Date(ctx.now.getTime() + duration.value);
    const comment = cutText(freeText(args.slice(durationAt + 1)), MAX_COMMENT);
    const silence = await createSilence(ctx.db, ctx.actor, { matchers: matchersText, comment, startsAt: ctx.now, endsAt });
    return reply(
      `:zipper_mouth_face: Silenced alerts matching \`${escapeMrkdwn(matchersText)}\` for ${formatDuration(duration.value)}, until ${slackDate(endsAt)} (id \`${shortId(silence.id)}\`). \`/herald silence expire ${shortId(silence.id)}\` ends it sooner.`,
    );
  },
};

export const silenceList: Subcommand = {
  path: ['silence', 'list'],
  args: '',
  summary: 'the active silences',
  example: '/herald silence list',
  permission: 'anyone',
  async run(ctx) {
    const silences = await activeSilences(ctx.db, ctx.actor.installationId, ctx.now);
    if (silences.length === 0) return reply('No active silences.');
    return reply(['*Active silences*', ...silences.map((silence) => `• ${describeSilence(silence)}`)].join('\n'));
  },
};

export const silenceExpire: Subcommand = {
  path: ['silence', 'expire'],
  args: 'ID',
  summary: 'end a silence now',
  example: '/herald silence expire 3f2a1b9c',
  permission: 'configure',
  async run(ctx, args) {
    const [id] = args;
    if (id === undefined) throw new UsageError('silence expire needs the id `/herald silence list` shows.');
    const outcome = await expireSilence(ctx.db, ctx.actor, id, ctx.now);
    if ('notFound' in outcome) return reply(`No active silence has the id \`${escapeMrkdwn(id)}\`; \`/herald silence list\` shows them.`);
    if ('ambiguous' in outcome) return reply(`Several active silences have ids starting with \`${escapeMrkdwn(id)}\`: type more of it.`);
    return reply(`:white_check_mark: Expired silence \`${shortId(outcome.expired.id)}\` (\`${escapeMrkdwn(outcome.expired.matchers)}\`): matching alerts are delivered again.`);
  },
};
