// views.publish (App Home) and views.open (modals). Slack answers malformed views with invalid_arguments.
import { fail, jsonArg, stringArg } from '../args.js';
import { MAX_VIEW_BLOCKS, checkBlocks } from '../blockKit.js';
import { slackId } from '../ids.js';
import type { AuthedContext, TokenMethod } from '../webApi.js';

/** Slack accepts a trigger_id for three seconds after the user's action. */
export const TRIGGER_LIFETIME_MS = 3000;

function readView(ctx: AuthedContext, expectedType: string): Record<string, unknown> {
  const view = jsonArg(ctx.args, 'view', 'invalid_arguments');
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return fail('invalid_arguments');
  const fields = view as Record<string, unknown>;
  if (fields.type !== expectedType) fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] type must be '${expectedType}'`] } });
  const problem = checkBlocks(fields.blocks ?? [], MAX_VIEW_BLOCKS);
  if (problem) fail('invalid_arguments', { response_metadata: { messages: [problem.message] } });
  return fields;
}

function viewJson(ctx: AuthedContext, view: Record<string, unknown>): Record<string, unknown> {
  return {
    id: slackId('V'),
    team_id: ctx.auth.teamId,
    app_id: ctx.core.options.appId,
    bot_id: ctx.auth.botId,
    private_metadata: '',
    callback_id: '',
    state: { values: {} },
    hash: String(ctx.core.options.now()),
    ...view,
  };
}

const publish: TokenMethod = {
  handle(ctx) {
    const userId = stringArg(ctx.args, 'user_id') ?? fail('invalid_arguments');
    const user = ctx.core.state.users.get(userId);
    if (!user || user.teamId !== ctx.auth.teamId) fail('user_not_found');
    const view = readView(ctx, 'home');
    ctx.core.state.homeViews.set(`${ctx.auth.teamId}:${userId}`, view);
    return { ok: true, view: viewJson(ctx, view) };
  },
};

const open: TokenMethod = {
  handle(ctx) {
    const triggerId = stringArg(ctx.args, 'trigger_id') ?? fail('invalid_arguments');
    const trigger = ctx.core.state.triggerIds.get(triggerId);
    if (!trigger) fail('invalid_trigger_id');
    if (trigger.used) fail('trigger_exchanged');
    if (ctx.core.options.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) fail('expired_trigger_id');
    const view = readView(ctx, 'modal');
    trigger.used = true;
    ctx.core.state.openedViews.push({ teamId: ctx.auth.teamId, triggerId, view, at: ctx.core.options.now() });
    return { ok: true, view: viewJson(ctx, view) };
  },
};

export const viewMethods = { 'views.publish': publish, 'views.open': open };
