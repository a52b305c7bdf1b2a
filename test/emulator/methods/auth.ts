// auth.test (who is this token?) and auth.revoke.
import { boolArg } from '../args.js';
import type { TokenMethod } from '../webApi.js';

const test: TokenMethod = {
  handle(ctx) {
    const { auth, core } = ctx;
    const workspace = core.state.requireWorkspace(auth.teamId);
    const user = core.state.users.get(auth.userId);
    return {
      ok: true,
      url: `https://${workspace.domain}.slack.com/`,
      team: workspace.name,
      user: user?.name ?? auth.userId,
      team_id: workspace.id,
      user_id: auth.userId,
      bot_id: auth.botId,
      enterprise_id: auth.enterpriseId,
      is_enterprise_install: auth.isEnterpriseInstall,
    };
  },
};

const revoke: TokenMethod = {
  handle(ctx) {
    // `test=true` only checks the token, as in Slack.
    if (!boolArg(ctx.args, 'test')) ctx.core.tokens.revoke(ctx.auth.value);
    return { ok: true, revoked: !boolArg(ctx.args, 'test') };
  },
};

export const authMethods = { 'auth.test': test, 'auth.revoke': revoke };
