// Public types of the Slack emulator: what tests and the demo see.
// Internal records (tokens, auth codes, …) live in state.ts and tokens.ts.

export interface EmulatorOptions {
  /** Port to listen on, on 127.0.0.1. 0 (the default) picks a free one. */
  port?: number;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** The app's id as Slack would show it. Default 'A0HERALD'. */
  appId?: string;
  /** The app's name on the consent screen. Default 'Herald'. */
  appName?: string;
  /** The app's Request URL for events, slash commands and interactivity. May be set later. */
  eventsUrl?: string;
  /** The legacy verification token put in event envelopes and command bodies. */
  verificationToken?: string;
  /** When set, redirect_uri must start with one of these, as with the app's configured Redirect URLs. */
  redirectUrls?: string[];
  /** Token rotation: oauth.v2.access returns refresh_token + expires_in and access tokens expire. */
  tokenRotation?: { expiresInSeconds: number };
  /** chat.postMessage per channel, a token bucket. Default { perSecond: 1, burst: 3 }. */
  rateLimit?: { perSecond: number; burst: number };
  /** Milliseconds clock. Default Date.now. Used for token expiry, codes, ts values, rate limits and signatures. */
  now?: () => number;
  /** One line per Web API call (method, channel, ok/error; never tokens). Silent by default. */
  log?: (line: string) => void;
}

/** A Web API answer body as Slack sends it. */
export interface WebApiBody {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export interface RecordedCall {
  method: string;
  /** Arguments as received, minus `token`; JSON-encoded fields (blocks, view, …) decoded when valid. */
  args: Record<string, unknown>;
  /** The token used (header or argument), if any. */
  token: string | undefined;
  /** The team the token belongs to, when the token was known. */
  teamId: string | undefined;
  /** HTTP status answered: 200, 429, or an injected failure. */
  status: number;
  response: WebApiBody;
  at: number;
}

export type MessageSource = 'api' | 'webhook' | 'response_url';

export interface PostedMessage {
  teamId: string;
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** Set only for real thread replies: Slack posts a reply whose parent does not exist as a top-level message. */
  thread_ts?: string;
  /** A thread reply also shown in the channel (chat.postMessage `reply_broadcast`); only set on thread replies. */
  replyBroadcast?: boolean;
  metadata?: unknown;
  /** Who posted: the bot user for API and webhook messages. */
  user: string;
  bot_id?: string;
  /** How many times chat.update changed it. */
  edits: number;
  /** Number of thread replies posted under it. */
  replyCount: number;
  source: MessageSource;
  postedAt: number;
  updatedAt?: number;
}

export interface PostedEphemeral {
  teamId: string;
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  message_ts: string;
  thread_ts?: string;
  at: number;
}

export interface RecordedResponse {
  /** The id in the response_url (`…/commands/response/<id>`). */
  id: string;
  url: string;
  /** The JSON (or form payload) the app posted. */
  body: unknown;
  teamId: string;
  channelId: string;
  userId: string;
  at: number;
}

/** An interaction payload the emulator sent to the app, and how the app answered it. */
export interface RecordedInteraction {
  teamId: string;
  /** The payload as sent (the `payload` form field, decoded). */
  payload: Record<string, unknown>;
  /** The app's HTTP status; Slack shows the user an error unless it is 200 within 3 seconds. */
  status: number;
  /** How long the app took to answer, in milliseconds of real time. */
  durationMs: number;
  at: number;
}

/** A person pressing a button or picking a menu option in a message the app posted (see SlackEmulator.pressButton). */
export interface PressButtonInput extends SigningOverrides {
  teamId: string;
  userId: string;
  /** The channel id the message is in. */
  channel: string;
  /** The message's ts. */
  ts: string;
  actionId: string;
  /** When the same action_id is in several blocks of the message. */
  blockId?: string;
  /** A button's value as sent; defaults to the button's own `value`. */
  value?: string;
  /** For static_select and overflow menus: the `value` of the option picked (it must be one of the element's options). */
  selectedOptionValue?: string;
}

export interface OpenedView {
  teamId: string;
  triggerId: string;
  view: Record<string, unknown>;
  at: number;
}

export interface WorkspaceInput {
  id: string;
  name: string;
  domain?: string;
  enterpriseId?: string;
  enterpriseName?: string;
}

export interface UserInput {
  id: string;
  name: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
  deleted?: boolean;
}

export interface ChannelInput {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  members?: string[];
}

export interface ApproveInput {
  /** The query of the app's redirect to /oauth/v2/authorize. */
  query: URLSearchParams | string;
  teamId: string;
  userId: string;
  /** The channel picked for an incoming webhook; needed when `incoming-webhook` is requested. */
  channelId?: string;
  /** An org-wide install on the workspace's Enterprise Grid org. */
  enterpriseInstall?: boolean;
}

export interface FailureSpec {
  /** Answer with this HTTP status (body `{ ok: false, error: 'internal_error' }` unless `error` is set too). */
  status?: number;
  /** Answer HTTP 200 `{ ok: false, error }`. */
  error?: string;
  /** Wait this long before answering (or answering normally, when neither status nor error is set). */
  delayMs?: number;
  /** How many calls fail; unlimited when absent. */
  times?: number;
}

/** Ways to make a request to the app look wrong, for signature tests. */
export interface SigningOverrides {
  /** X-Slack-Request-Timestamp in seconds; default the emulator clock. */
  requestTimestamp?: number;
  /** Sign with this secret instead of the configured one. */
  signingSecret?: string;
}

/** What a test gets back from a direct install (see SlackEmulator.install). */
export interface InstallResult {
  teamId: string;
  botToken: string;
  botUserId: string;
  botId: string;
  scopes: string[];
  refreshToken?: string;
  userToken?: string;
  incomingWebhookUrl?: string;
}
