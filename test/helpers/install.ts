// Drives the OAuth install flow the way a browser does: Herald's /slack/install, Slack's consent
// screen (the emulator's "Allow"), and back to Herald's redirect URL with the state cookie.
import type { SlackEmulator } from '../emulator/index.js';

export interface InstallStart {
  /** Where Herald redirected the browser (Slack's authorize page). */
  authorizeUrl: URL;
  /** The state cookie Herald set, as a Cookie header value. */
  cookie: string;
}

export async function beginInstall(heraldUrl: string): Promise<InstallStart> {
  const response = await fetch(`${heraldUrl}/slack/install`, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`/slack/install answered ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { authorizeUrl: new URL(response.headers.get('location') ?? ''), cookie };
}

export async function finishInstall(callbackUrl: string, cookie: string): Promise<{ status: number; html: string }> {
  const response = await fetch(callbackUrl, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

/** The whole flow for one workspace: returns the page Herald showed at the end. */
export async function installWorkspace(
  heraldUrl: string,
  emulator: SlackEmulator,
  p: { teamId?: string; userId?: string; channelId?: string; enterpriseInstall?: boolean } = {},
): Promise<{ status: number; html: string }> {
  const { authorizeUrl, cookie } = await beginInstall(heraldUrl);
  const callback = emulator.approve({
    query: authorizeUrl.searchParams,
    teamId: p.teamId ?? 'T0ACME',
    userId: p.userId ?? 'U0ADMIN',
    channelId: p.channelId ?? 'C0ALERTS',
    enterpriseInstall: p.enterpriseInstall,
  });
  return finishInstall(callback, cookie);
}
