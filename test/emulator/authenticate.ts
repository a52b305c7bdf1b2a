// Token and scope checks shared by the dispatcher and the methods whose needed scope depends on the channel.
import { fail } from './args.js';
import type { EmulatorCore } from './core.js';
import type { AccessToken } from './tokens.js';

/** Slack's own precedence: no token, then unknown/revoked/expired token, then a dead account. */
export function authenticate(core: EmulatorCore, token: string | undefined): AccessToken {
  if (!token) return fail('not_authed');
  const check = core.tokens.check(token);
  if (!check.ok) return fail(check.error);
  const owner = core.state.users.get(check.token.userId);
  if (!core.state.workspaces.has(check.token.teamId) || owner?.deleted) fail('account_inactive');
  return check.token;
}

/** missing_scope unless the token has at least one of `anyOf`; `needed`/`provided` as Slack reports them. */
export function requireScope(auth: AccessToken, anyOf: string[]): void {
  if (anyOf.some((scope) => auth.scopes.includes(scope))) return;
  fail('missing_scope', { needed: anyOf.join(','), provided: auth.scopes.join(',') });
}
