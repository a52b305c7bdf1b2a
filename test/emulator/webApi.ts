// The Web API dispatcher: finds the method, authenticates the token and checks scopes in Slack's order,
// then lets the method's handler answer. Handlers throw SlackApiError for `{ ok: false }` answers.
import { type Args, SlackApiError, stringArg } from './args.js';
import { authenticate, requireScope } from './authenticate.js';
import type { EmulatorCore } from './core.js';
import { authMethods } from './methods/auth.js';
import { chatMethods } from './methods/chat.js';
import { conversationMethods } from './methods/conversations.js';
import { historyMethods } from './methods/history.js';
import { userMethods } from './methods/users.js';
import { viewMethods } from './methods/views.js';
import { oauthMethods } from './oauth.js';
import type { AccessToken } from './tokens.js';
import type { WebApiBody } from './types.js';

export interface CallContext {
  core: EmulatorCore;
  args: Args;
  /** The raw Authorization header: oauth.v2.access reads HTTP Basic client credentials from it. */
  authorization: string | undefined;
}

export interface AuthedContext extends CallContext {
  auth: AccessToken;
}

/** A method anyone may call without a token (oauth.v2.access). */
export interface PublicMethod {
  public: true;
  handle(ctx: CallContext): WebApiBody;
}

/** A method that needs a token, and at least one of `scopes` when given. */
export interface TokenMethod {
  public?: false;
  scopes?: string[];
  handle(ctx: AuthedContext): WebApiBody;
}

export type MethodSpec = PublicMethod | TokenMethod;

const METHODS: Record<string, MethodSpec> = {
  ...authMethods,
  ...chatMethods,
  ...conversationMethods,
  ...historyMethods,
  ...userMethods,
  ...viewMethods,
  ...oauthMethods,
};

export interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body: WebApiBody;
}

export function tokenFrom(authorization: string | undefined, args: Args): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return bearer ?? stringArg(args, 'token');
}

export function callMethod(core: EmulatorCore, method: string, args: Args, authorization: string | undefined): ApiReply {
  const headers: Record<string, string> = {};
  try {
    const spec = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (!spec) return { status: 200, headers, body: { ok: false, error: 'unknown_method' } };
    const ctx: CallContext = { core, args, authorization };
    if (spec.public) return { status: 200, headers, body: spec.handle(ctx) };
    const auth = authenticate(core, tokenFrom(authorization, args));
    // WebClient turns these headers into response_metadata.scopes / acceptedScopes.
    headers['x-oauth-scopes'] = auth.scopes.join(',');
    if (spec.scopes) {
      headers['x-accepted-oauth-scopes'] = spec.scopes.join(',');
      requireScope(auth, spec.scopes);
    }
    return { status: 200, headers, body: spec.handle({ ...ctx, auth }) };
  } catch (error) {
    if (error instanceof SlackApiError) {
      return { status: error.status, headers: { ...headers, ...error.headers }, body: error.body };
    }
    // A bug in the emulator must not look like a Slack answer the app could reasonably handle.
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 200, headers, body: { ok: false, error: 'internal_error', detail } };
  }
}
