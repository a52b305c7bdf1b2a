// users.info.
import { fail, stringArg } from '../args.js';
import { userJson } from '../slackJson.js';
import type { TokenMethod } from '../webApi.js';

const info: TokenMethod = {
  scopes: ['users:read'],
  handle(ctx) {
    const userId = stringArg(ctx.args, 'user') ?? fail('user_not_found');
    const user = ctx.core.state.users.get(userId);
    if (!user || user.teamId !== ctx.auth.teamId) fail('user_not_found');
    return { ok: true, user: userJson(user) };
  },
};

export const userMethods = { 'users.info': info };
