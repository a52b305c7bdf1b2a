// Everything the emulator sends to the app's Request URL (events, slash commands, interactions), signed
// exactly as Slack signs it so the app's signature check is exercised for real.
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EmulatorCore } from './core.js';
import { secret, slackId } from './ids.js';
import type { SigningOverrides } from './types.js';

/** Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function signature(signingSecret: string, timestampSeconds: number, body: string): string {
  return 'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
}

export async function postSigned(
  core: EmulatorCore,
  body: string,
  contentType: string,
  overrides: SigningOverrides = {},
): Promise<Response> {
  if (!core.eventsUrl) throw new Error('The emulator has no eventsUrl (the app Request URL) to send to');
  const timestamp = overrides.requestTimestamp ?? Math.floor(core.options.now() / 1000);
  return fetch(core.eventsUrl, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature(overrides.signingSecret ?? core.options.signingSecret, timestamp, body),
    },
    body,
  });
}

export function postForm(core: EmulatorCore, fields: Record<string, string>, overrides?: SigningOverrides): Promise<Response> {
  return postSigned(core, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', overrides);
}

/** The event_callback envelope Slack wraps every Events API event in. */
export function eventEnvelope(core: EmulatorCore, teamId: string, event: Record<string, unknown>, eventTime: number): Record<string, unknown> {
  const workspace = core.state.requireWorkspace(teamId);
  const bot = core.state.bots.get(teamId);
  const isEnterpriseInstall = core.state.installations.get(teamId)?.isEnterpriseInstall ?? false;
  return {
    token: core.options.verificationToken,
    team_id: teamId,
    enterprise_id: workspace.enterpriseId ?? null,
    api_app_id: core.options.appId,
    event: { event_ts: `${eventTime}.000000`, ...event },
    type: 'event_callback',
    event_id: slackId('Ev'),
    event_time: eventTime,
    authorizations: [
      {
        team_id: teamId,
        enterprise_id: workspace.enterpriseId ?? null,
        user_id: bot?.userId,
        is_bot: true,
        is_enterprise_install: isEnterpriseInstall,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export function sendEvent(
  core: EmulatorCore,
  teamId: string,
  event: Record<string, unknown>,
  opts: { eventTime?: number } & SigningOverrides = {},
): Promise<Response> {
  const eventTime = opts.eventTime ?? Math.floor(core.options.now() / 1000);
  const body = JSON.stringify(eventEnvelope(core, teamId, event, eventTime));
  return postSigned(core, body, 'application/json', opts);
}

/** A trigger_id the app may use with views.open in the next three seconds. */
export function issueTriggerId(core: EmulatorCore): string {
  const triggerId = `${Math.floor(core.options.now() / 1000)}.${secret(8)}`;
  core.state.triggerIds.set(triggerId, { issuedAt: core.options.now(), used: false });
  return triggerId;
}

/** A response_url that records what the app posts to it (see http.ts). */
export function issueResponseUrl(core: EmulatorCore, teamId: string, channelId: string, userId: string): string {
  const id = secret(12);
  core.state.responseUrls.set(id, { id, teamId, channelId, userId, createdAt: core.options.now(), uses: 0 });
  return `${core.url}commands/response/${id}`;
}

export interface CommandInput extends SigningOverrides {
  teamId: string;
  userId: string;
  channelId: string;
  command?: string;
  text: string;
}

export function sendCommand(core: EmulatorCore, p: CommandInput): Promise<Response> {
  const { state } = core;
  const workspace = state.requireWorkspace(p.teamId);
  const user = state.requireUser(p.teamId, p.userId);
  const channel = state.requireChannel(p.channelId);
  const fields: Record<string, string> = {
    token: core.options.verificationToken,
    team_id: workspace.id,
    team_domain: workspace.domain,
    channel_id: channel.id,
    channel_name: channel.isPrivate ? 'privategroup' : channel.name,
    user_id: user.id,
    user_name: user.name,
    command: p.command ?? '/herald',
    text: p.text,
    api_app_id: core.options.appId,
    is_enterprise_install: String(state.installations.get(workspace.id)?.isEnterpriseInstall ?? false),
    response_url: issueResponseUrl(core, workspace.id, channel.id, user.id),
    trigger_id: issueTriggerId(core),
  };
  // Slack leaves enterprise fields out entirely for workspaces outside an org.
  if (workspace.enterpriseId) {
    fields.enterprise_id = workspace.enterpriseId;
    fields.enterprise_name = workspace.enterpriseName ?? '';
  }
  return postForm(core, fields, p);
}

function objectField(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Who acted, as Slack describes them in interaction payloads; fields the test gave win. */
function userField(core: EmulatorCore, teamId: string, given: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!given) return undefined;
  const user = typeof given.id === 'string' ? core.state.users.get(given.id) : undefined;
  return user ? { id: user.id, username: user.name, name: user.name, team_id: teamId, ...given } : given;
}

/**
 * Sends an interaction payload (block_actions, view_submission, shortcut, …). Fields Slack always sets are
 * filled in when the test left them out; whatever the test gave wins. The app's answer is recorded in
 * `state.interactions` (and returned unread).
 */
export async function sendInteraction(
  core: EmulatorCore,
  teamId: string,
  payload: Record<string, unknown>,
  overrides?: SigningOverrides,
): Promise<Response> {
  const workspace = core.state.requireWorkspace(teamId);
  const user = userField(core, teamId, objectField(payload.user));
  const userId = typeof user?.id === 'string' ? user.id : undefined;
  const channelId = typeof objectField(payload.channel)?.id === 'string' ? String(objectField(payload.channel)?.id) : undefined;
  const triggerId = typeof payload.trigger_id === 'string' ? payload.trigger_id : issueTriggerId(core);
  // A trigger_id chosen by the test is honoured by views.open too.
  if (!core.state.triggerIds.has(triggerId)) core.state.triggerIds.set(triggerId, { issuedAt: core.options.now(), used: false });
  const full: Record<string, unknown> = {
    token: core.options.verificationToken,
    api_app_id: core.options.appId,
    team: { id: workspace.id, domain: workspace.domain },
    enterprise: workspace.enterpriseId ? { id: workspace.enterpriseId, name: workspace.enterpriseName } : null,
    is_enterprise_install: core.state.installations.get(teamId)?.isEnterpriseInstall ?? false,
    trigger_id: triggerId,
    ...(userId && channelId && payload.response_url === undefined
      ? { response_url: issueResponseUrl(core, teamId, channelId, userId) }
      : {}),
    ...payload,
    ...(user ? { user } : {}),
  };
  // Real time, not the emulator clock: this is how long the app kept the person waiting.
  const started = performance.now();
  const response = await postForm(core, { payload: JSON.stringify(full) }, overrides);
  core.state.interactions.push({ teamId, payload: full, status: response.status, durationMs: performance.now() - started, at: core.options.now() });
  return response;
}
