// The OAuth v2 install flow: validating the app's authorize request, the user's Allow/Cancel, and
// oauth.v2.access (code exchange and token refresh). The consent page's HTML is in pages.ts.
import { fail, stringArg } from './args.js';
import type { AuthCode, EmulatorCore } from './core.js';
import { secret } from './ids.js';
import type { IssuedToken } from './tokens.js';
import type { ApproveInput, WebApiBody } from './types.js';
import type { CallContext, PublicMethod } from './webApi.js';

/** Slack's codes are short-lived: ten minutes. */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

const SCOPE_PATTERN = /^[a-z][a-z0-9_.:-]*$/i;

export interface AuthorizeRequest {
  scopes: string[];
  userScopes: string[];
  /** redirect_uri as given (undefined when left out), to compare at the code exchange. */
  givenRedirectUri: string | undefined;
  /** Where the browser goes back to: the given redirect_uri or the app's first configured one. */
  redirectTo: string;
  state: string | undefined;
  /** The workspace asked for with `team=`, if any. */
  team: string | undefined;
  /** The query as received, for the consent form to carry along. */
  query: URLSearchParams;
}

export type AuthorizeCheck = { ok: true; request: AuthorizeRequest } | { ok: false; error: string; message: string };

function splitScopes(value: string | null): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

function isHttpUrl(value: string): boolean {
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export function toQuery(query: URLSearchParams | string): URLSearchParams {
  if (typeof query !== 'string') return query;
  // Accept a whole authorize URL as well as a bare query string.
  const queryPart = query.includes('?') ? query.slice(query.indexOf('?') + 1) : query;
  return new URLSearchParams(queryPart);
}

/** Checks an authorize request the way Slack's authorize page does before showing the consent screen. */
export function checkAuthorizeRequest(core: EmulatorCore, rawQuery: URLSearchParams | string): AuthorizeCheck {
  const query = toQuery(rawQuery);
  const clientId = query.get('client_id');
  if (!clientId || clientId !== core.options.clientId) {
    return { ok: false, error: 'invalid_client_id', message: `Unknown client_id "${clientId ?? ''}".` };
  }
  const scopes = splitScopes(query.get('scope'));
  const userScopes = splitScopes(query.get('user_scope'));
  if (scopes.length + userScopes.length === 0 || ![...scopes, ...userScopes].every((s) => SCOPE_PATTERN.test(s))) {
    return { ok: false, error: 'invalid_scope', message: 'Invalid permissions requested.' };
  }
  const given = query.get('redirect_uri') ?? undefined;
  const allowed = core.options.redirectUrls;
  const redirectTo = given ?? allowed?.[0];
  if (!redirectTo || !isHttpUrl(redirectTo) || (allowed && !allowed.some((prefix) => redirectTo.startsWith(prefix)))) {
    return { ok: false, error: 'bad_redirect_uri', message: `redirect_uri did not match any configured URIs.` };
  }
  return {
    ok: true,
    request: {
      scopes,
      userScopes,
      givenRedirectUri: given,
      redirectTo,
      state: query.get('state') ?? undefined,
      team: query.get('team') ?? undefined,
      query,
    },
  };
}

function requireValid(core: EmulatorCore, query: URLSearchParams | string): AuthorizeRequest {
  const check = checkAuthorizeRequest(core, query);
  if (!check.ok) throw new Error(`${check.error}: ${check.message}`);
  return check.request;
}

function redirectWith(request: AuthorizeRequest, params: Record<string, string>): string {
  const url = new URL(request.redirectTo);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  return url.toString();
}

/**
 * The user pressed Allow. As in Slack, the app is installed at this moment (the bot joins the webhook
 * channel); the tokens are handed over by oauth.v2.access. Throws on a request Slack would refuse.
 */
export function approve(core: EmulatorCore, input: ApproveInput): string {
  const request = requireValid(core, input.query);
  const { state } = core;
  const workspace = state.requireWorkspace(input.teamId);
  const user = state.requireUser(input.teamId, input.userId);
  if (user.deleted || user.isBot) throw new Error(`User ${user.id} cannot install apps`);
  if (input.enterpriseInstall && !workspace.enterpriseId) throw new Error(`Workspace ${workspace.id} is not in an org`);
  const bot = state.botFor(workspace.id);

  let webhookPath: string | undefined;
  if (request.scopes.includes('incoming-webhook')) {
    if (!input.channelId) throw new Error('incoming-webhook was requested: pick a channel (channelId)');
    const channel = state.findChannel(workspace.id, input.channelId);
    if (!channel || channel.isArchived) throw new Error(`Channel ${input.channelId} cannot receive a webhook`);
    channel.members.add(bot.userId);
    webhookPath = `services/${workspace.id}/${bot.botId}/${secret(12)}`;
    state.webhooks.set(webhookPath, { path: webhookPath, teamId: workspace.id, channelId: channel.id, active: true });
  }

  // Reinstalling adds scopes; Slack never takes granted scopes away on reinstall.
  const previous = state.installations.get(workspace.id);
  const keptScopes = previous?.active ? previous.scopes : [];
  state.installations.set(workspace.id, {
    teamId: workspace.id,
    installerUserId: user.id,
    scopes: [...new Set([...keptScopes, ...request.scopes])],
    userScopes: request.userScopes,
    isEnterpriseInstall: input.enterpriseInstall ?? false,
    installedAt: core.options.now(),
    active: true,
  });

  const code: AuthCode = {
    code: secret(20),
    teamId: workspace.id,
    userId: user.id,
    scopes: request.scopes,
    userScopes: request.userScopes,
    redirectUri: request.givenRedirectUri,
    isEnterpriseInstall: input.enterpriseInstall ?? false,
    webhookPath,
    createdAt: core.options.now(),
    used: false,
  };
  core.codes.set(code.code, code);
  return redirectWith(request, { code: code.code });
}

/** The user pressed Cancel. */
export function deny(core: EmulatorCore, query: URLSearchParams | string): string {
  return redirectWith(requireValid(core, query), { error: 'access_denied' });
}

/** client_id/client_secret from HTTP Basic auth or the body, as oauth.v2.access accepts both. */
function clientCredentials(ctx: CallContext): { clientId?: string; clientSecret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(ctx.authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
  }
  return { clientId: stringArg(ctx.args, 'client_id'), clientSecret: stringArg(ctx.args, 'client_secret') };
}

function rotationFields(issued: IssuedToken): Record<string, unknown> {
  return issued.refreshToken === undefined
    ? {}
    : { refresh_token: issued.refreshToken, expires_in: issued.expiresInSeconds };
}

function teamFields(core: EmulatorCore, teamId: string, isEnterpriseInstall: boolean): Record<string, unknown> {
  const workspace = core.state.requireWorkspace(teamId);
  return {
    // An org-wide install belongs to the org, not to one workspace.
    team: isEnterpriseInstall ? null : { id: workspace.id, name: workspace.name },
    enterprise: workspace.enterpriseId ? { id: workspace.enterpriseId, name: workspace.enterpriseName } : null,
    is_enterprise_install: isEnterpriseInstall,
  };
}

function exchangeCode(ctx: CallContext): WebApiBody {
  const { core } = ctx;
  const code = core.codes.get(stringArg(ctx.args, 'code') ?? '');
  const now = core.options.now();
  if (!code || code.used || now - code.createdAt > CODE_LIFETIME_MS) return fail('invalid_code');
  if (stringArg(ctx.args, 'redirect_uri') !== code.redirectUri) fail('bad_redirect_uri');
  code.used = true;

  const workspace = core.state.requireWorkspace(code.teamId);
  const bot = core.state.botFor(workspace.id);
  const installation = core.state.installations.get(workspace.id);
  const grantBase = {
    teamId: workspace.id,
    enterpriseId: workspace.enterpriseId,
    isEnterpriseInstall: code.isEnterpriseInstall,
  };

  const body: WebApiBody = { ok: true, app_id: core.options.appId, authed_user: { id: code.userId } };
  if (code.scopes.length > 0) {
    const scopes = installation?.scopes ?? code.scopes;
    // Without rotation Slack hands back the same bot token on reinstall, with the added scopes.
    const live = core.tokens.rotates ? undefined : core.tokens.findLive(workspace.id, 'bot', bot.userId);
    if (live) live.scopes = [...scopes];
    const issued: IssuedToken = live
      ? { access: live, refreshToken: undefined, expiresInSeconds: undefined }
      : core.tokens.issue({ ...grantBase, type: 'bot', userId: bot.userId, botId: bot.botId, scopes });
    Object.assign(body, {
      scope: scopes.join(','),
      token_type: 'bot',
      access_token: issued.access.value,
      bot_user_id: bot.userId,
      ...rotationFields(issued),
    });
  }
  Object.assign(body, teamFields(core, workspace.id, code.isEnterpriseInstall));
  if (code.userScopes.length > 0) {
    const issued = core.tokens.issue({ ...grantBase, type: 'user', userId: code.userId, botId: undefined, scopes: code.userScopes });
    body.authed_user = {
      id: code.userId,
      scope: code.userScopes.join(','),
      access_token: issued.access.value,
      token_type: 'user',
      ...rotationFields(issued),
    };
  }
  const webhook = code.webhookPath ? core.state.webhooks.get(code.webhookPath) : undefined;
  if (webhook) {
    const channel = core.state.requireChannel(webhook.channelId);
    body.incoming_webhook = {
      channel: `#${channel.name}`,
      channel_id: channel.id,
      configuration_url: `https://${workspace.domain}.slack.com/services/${bot.botId}`,
      url: core.url + webhook.path,
    };
  }
  return body;
}

function refreshToken(ctx: CallContext): WebApiBody {
  const issued = ctx.core.tokens.refresh(stringArg(ctx.args, 'refresh_token') ?? '') ?? fail('invalid_refresh_token');
  const { access } = issued;
  return {
    ok: true,
    app_id: ctx.core.options.appId,
    scope: access.scopes.join(','),
    token_type: access.type,
    access_token: access.value,
    ...(access.type === 'bot' ? { bot_user_id: access.userId } : { user_id: access.userId }),
    ...teamFields(ctx.core, access.teamId, access.isEnterpriseInstall),
    ...rotationFields(issued),
  };
}

const access: PublicMethod = {
  public: true,
  handle(ctx) {
    const { clientId, clientSecret } = clientCredentials(ctx);
    if (clientId !== ctx.core.options.clientId) fail('invalid_client_id');
    if (clientSecret !== ctx.core.options.clientSecret) fail('bad_client_secret');
    const grantType = stringArg(ctx.args, 'grant_type') ?? 'authorization_code';
    if (grantType === 'authorization_code') return exchangeCode(ctx);
    if (grantType === 'refresh_token') return refreshToken(ctx);
    return fail('invalid_grant_type');
  },
};

export const oauthMethods = { 'oauth.v2.access': access };

/**
 * Uninstalling: every token of the team is revoked, webhooks stop and the bot leaves its channels.
 * Returns who lost tokens, as the tokens_revoked event reports it.
 */
export function revokeInstallation(core: EmulatorCore, teamId: string): { oauth: string[]; bot: string[] } {
  const { state } = core;
  state.requireWorkspace(teamId);
  const revoked = core.tokens.revokeTeam(teamId);
  const installation = state.installations.get(teamId);
  if (installation) installation.active = false;
  for (const webhook of state.webhooks.values()) if (webhook.teamId === teamId) webhook.active = false;
  state.removeBotFromChannels(teamId);
  const idsOf = (type: 'bot' | 'user') => [...new Set(revoked.filter((t) => t.type === type).map((t) => t.userId))];
  return { oauth: idsOf('user'), bot: idsOf('bot') };
}
