// SlackEmulator: an HTTP server that answers as Slack does (Web API, OAuth, webhooks) and plays Slack's
// side towards the app (signed events, slash commands, interactions). Tests drive the world through
// this class; the behaviour itself lives in the small modules imported below.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EmulatorCore, createCore } from './core.js';
import { type CommandInput, sendCommand, sendEvent, sendInteraction } from './events.js';
import { FailureInjector } from './failures.js';
import { createHttpApp } from './http.js';
import { blockActionsPayload } from './interactions.js';
import { approve, deny, revokeInstallation } from './oauth.js';
import type {
  ApproveInput,
  ChannelInput,
  EmulatorOptions,
  FailureSpec,
  InstallResult,
  OpenedView,
  PostedEphemeral,
  PostedMessage,
  PressButtonInput,
  RecordedCall,
  RecordedInteraction,
  RecordedResponse,
  SigningOverrides,
  UserInput,
  WebApiBody,
  WorkspaceInput,
} from './types.js';
import { callMethod } from './webApi.js';

export type * from './types.js';
export { signature } from './events.js';

export class SlackEmulator {
  readonly url: string;
  readonly apiUrl: string;
  readonly authorizeUrl: string;
  private constructor(
    private readonly core: EmulatorCore,
    private readonly server: Server,
    /** Every Web API call, in order, including rate-limited and failed ones. */
    readonly calls: RecordedCall[],
    private readonly failures: FailureInjector,
  ) {
    this.url = core.url;
    this.apiUrl = `${core.url}api/`;
    this.authorizeUrl = `${core.url}oauth/v2/authorize`;
  }

  static async start(options: EmulatorOptions): Promise<SlackEmulator> {
    const core = createCore(options);
    const calls: RecordedCall[] = [];
    const failures = new FailureInjector();
    const app = createHttpApp(core, failures, calls);
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(options.port ?? 0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    core.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // The HTTP layer and the instance share the same call list and failure table.
    return new SlackEmulator(core, server, calls, failures);
  }

  get eventsUrl(): string | undefined {
    return this.core.eventsUrl;
  }

  set eventsUrl(value: string | undefined) {
    this.core.eventsUrl = value;
  }

  /** What the app posted to response_urls. */
  get responses(): RecordedResponse[] {
    return this.core.state.responses;
  }

  /** chat.postEphemeral messages, in order. */
  get ephemerals(): PostedEphemeral[] {
    return this.core.state.ephemerals;
  }

  /** Interaction payloads sent to the app (sendInteraction, pressButton) with the app's HTTP status. */
  get interactions(): RecordedInteraction[] {
    return this.core.state.interactions;
  }

  /** The last App Home view published per `teamId:userId`. */
  get homeViews(): Map<string, unknown> {
    return this.core.state.homeViews;
  }

  /** Modals opened with views.open. */
  get openedViews(): OpenedView[] {
    return this.core.state.openedViews;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Messages as they stand now (updates applied), oldest first; copies, so tests cannot change the world. */
  messages(channelId?: string): PostedMessage[] {
    return this.core.state.messages
      .filter((m) => channelId === undefined || m.channel === channelId)
      .map((m) => structuredClone(m));
  }

  addWorkspace(w: WorkspaceInput): void {
    this.core.state.addWorkspace(w);
  }

  addUser(teamId: string, u: UserInput): void {
    this.core.state.addUser(teamId, u);
  }

  addChannel(teamId: string, c: ChannelInput): void {
    this.core.state.addChannel(teamId, c);
  }

  archiveChannel(channelId: string): void {
    this.core.state.archiveChannel(channelId);
  }

  deleteChannel(channelId: string): void {
    this.core.state.deleteChannel(channelId);
  }

  /** Adds a user (for example the app's bot user) to a channel, as an invitation would. */
  joinChannel(channelId: string, userId: string): void {
    this.core.state.requireChannel(channelId).members.add(userId);
  }

  /**
   * Removes a user from a channel, as /kick or "Remove from channel" would; by default the app's bot user of
   * the channel's workspace. Posting there then answers not_in_channel (unless chat:write.public covers a
   * public channel), and a private channel looks absent (channel_not_found).
   */
  removeFromChannel(channelId: string, userId?: string): void {
    const channel = this.core.state.requireChannel(channelId);
    const member = userId ?? this.botUserId(channel.teamId);
    if (!member) throw new Error(`No bot user in workspace ${channel.teamId} yet; install the app first`);
    channel.members.delete(member);
  }

  /** Deactivates a person or the app's bot user: their tokens then answer account_inactive, as in Slack. */
  deactivateUser(teamId: string, userId: string): void {
    this.core.state.requireUser(teamId, userId).deleted = true;
  }

  /** Deletes a message, as a person would; returns it. chat.update then answers message_not_found. */
  deleteMessage(channelId: string, ts: string): PostedMessage {
    return structuredClone(this.core.state.deleteMessage(channelId, ts));
  }

  /** The app's bot user in a workspace (created on first install). */
  botUserId(teamId: string): string | undefined {
    return this.core.state.bots.get(teamId)?.userId;
  }

  /** The "Allow" button of the authorize page; returns the redirect to the app with code and state. */
  approve(p: ApproveInput): string {
    return approve(this.core, p);
  }

  /** The "Cancel" button; returns the redirect with error=access_denied and state. */
  deny(query: URLSearchParams | string): string {
    return deny(this.core, query);
  }

  /**
   * Installs the app without a browser or the app's OAuth routes: approve plus the code exchange, for tests
   * that need a token but are not about installing.
   */
  install(p: { teamId: string; userId: string; scopes: string[]; userScopes?: string[]; channelId?: string }): InstallResult {
    const redirectUri = this.core.options.redirectUrls?.[0] ?? 'http://127.0.0.1/emulator-direct-install';
    const query = new URLSearchParams({
      client_id: this.core.options.clientId,
      scope: p.scopes.join(','),
      user_scope: (p.userScopes ?? []).join(','),
      redirect_uri: redirectUri,
    });
    const code = new URL(this.approve({ query, teamId: p.teamId, userId: p.userId, channelId: p.channelId })).searchParams.get('code');
    const reply = callMethod(
      this.core,
      'oauth.v2.access',
      { client_id: this.core.options.clientId, client_secret: this.core.options.clientSecret, code, redirect_uri: redirectUri },
      undefined,
    ).body;
    if (!reply.ok) throw new Error(`install failed: ${reply.error}`);
    return { ...installResult(reply), teamId: p.teamId, botId: this.core.state.botFor(p.teamId).botId };
  }

  /**
   * Revokes the team's tokens (calls then answer token_revoked), then tells the app with signed
   * app_uninstalled and tokens_revoked events. `notify: false` keeps the events back, as when the app was
   * down and missed them: the app finds out from token_revoked on its next call.
   */
  async uninstall(teamId: string, opts: { notify?: boolean } = {}): Promise<void> {
    const tokens = revokeInstallation(this.core, teamId);
    if (!this.core.eventsUrl || opts.notify === false) return;
    await this.sendEvent(teamId, { type: 'app_uninstalled' });
    await this.sendEvent(teamId, { type: 'tokens_revoked', tokens });
  }

  sendEvent(teamId: string, event: Record<string, unknown>, opts?: { eventTime?: number } & SigningOverrides): Promise<Response> {
    return sendEvent(this.core, teamId, event, opts);
  }

  sendCommand(p: CommandInput): Promise<Response> {
    return sendCommand(this.core, p);
  }

  sendInteraction(teamId: string, payload: Record<string, unknown>, opts?: SigningOverrides): Promise<Response> {
    return sendInteraction(this.core, teamId, payload, opts);
  }

  /**
   * A person pressing a button, or picking an option of a static_select or overflow menu, in a message as it
   * stands now: sends Slack's block_actions payload for it, signed. Throws when the person could not do it
   * (no such message, element or option), so a test cannot press what Slack would not show.
   */
  async pressButton(input: PressButtonInput): Promise<Response> {
    const { requestTimestamp, signingSecret } = input;
    return sendInteraction(this.core, input.teamId, blockActionsPayload(this.core, input), { requestTimestamp, signingSecret });
  }

  /** Makes a Web API method fail (HTTP status, Slack error, delay) until cleared with null or `times` runs out. */
  setFailure(method: string, f: FailureSpec | null): void {
    this.failures.set(method, f);
  }

  async close(): Promise<void> {
    this.failures.cancelDelays();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets from WebClient would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }
}

/** The token fields of an oauth.v2.access answer. */
function installResult(reply: WebApiBody): Omit<InstallResult, 'teamId' | 'botId'> {
  const authedUser = reply.authed_user as { access_token?: string };
  const webhook = reply.incoming_webhook as { url: string } | undefined;
  return {
    botToken: String(reply.access_token),
    botUserId: String(reply.bot_user_id),
    scopes: String(reply.scope ?? '').split(',').filter(Boolean),
    refreshToken: reply.refresh_token as string | undefined,
    userToken: authedUser.access_token,
    incomingWebhookUrl: webhook?.url,
  };
}
