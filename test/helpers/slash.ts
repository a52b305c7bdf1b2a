// Drives /herald the way Slack does: the text escaped as Slack escapes it (`should_escape: true`),
// a signed request to /slack/events, and the ephemeral answer Herald posts to the response_url.
import assert from 'node:assert/strict';
import { beforeEach } from 'node:test';
import type { Db } from '../../src/db/database.js';
import type { SlackEmulator } from '../emulator/index.js';
import type { TestDatabaseKind } from './databases.js';
import { heraldPerTest, type HeraldFixture } from './herald.js';
import { installWorkspace } from './install.js';

export const TEAM = 'T0ACME';

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The text as Slack sends it: `&`, `<` and `>` typed by the person escaped, channel and user
 * references (written here as `<#C123>`, `<#C123|name>`, `<@U123>`) left as links.
 */
export function asSlackSends(text: string): string {
  return text
    .split(/(<[#@][A-Z0-9]+(?:\|[^>]*)?>)/)
    .map((part, i) => (i % 2 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

/** Slack's escaping undone, so assertions read like what people see. */
export function shown(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface CommandReply {
  /** The answer's text with Slack's escaping undone. */
  text: string;
  blocks: unknown[] | undefined;
  /** The whole body Herald posted to the response_url. */
  body: Record<string, unknown>;
}

/** Sends `/herald <text>` as `userId` and returns Herald's ephemeral answer. */
export async function herald(emulator: SlackEmulator, text: string, p: { userId?: string; channelId?: string } = {}): Promise<CommandReply> {
  const userId = p.userId ?? 'U0ADMIN';
  const before = new Set(emulator.responses);
  const response = await emulator.sendCommand({ teamId: TEAM, userId, channelId: p.channelId ?? 'C0ALERTS', text: asSlackSends(text) });
  assert.equal(response.status, 200, `/herald ${text} was acknowledged`);
  const answer = await waitFor(() => emulator.responses.find((r) => !before.has(r) && r.userId === userId), `the answer to /herald ${text}`);
  const body = answer.body as Record<string, unknown>;
  assert.equal(body.response_type, 'ephemeral', 'answers are ephemeral');
  return { text: shown(String(body.text ?? '')), blocks: body.blocks as unknown[] | undefined, body };
}

export interface World extends HeraldFixture {
  /** Herald's own Prisma client, to check what was stored. */
  readonly db: Db;
}

/**
 * For each test of the enclosing describe: the emulator's Acme (#alerts, the admin ada), a fresh
 * database and Herald (heraldPerTest), with Herald installed by `installer` and #alerts as the
 * install channel, so /herald can be used at once.
 */
export function heraldWorld(kind: TestDatabaseKind, p: { installer?: string } = {}): World {
  const fixture = heraldPerTest(kind);
  beforeEach(async () => {
    if (p.installer) fixture.emulator.addUser(TEAM, { id: p.installer, name: 'installer' });
    const installed = await installWorkspace(fixture.herald.url, fixture.emulator, { userId: p.installer ?? 'U0ADMIN' });
    assert.equal(installed.status, 200);
  });
  return Object.defineProperty(fixture, 'db', { get: () => fixture.herald.herald.database.prisma }) as World;
}
