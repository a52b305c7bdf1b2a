// Helpers for the ingest tests: one Herald with an installed workspace per `describe` (ingest tests
// are many and each only needs a token), tokens written as `/herald token create` writes them, and
// requests to /alerts/… in either URL form.
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import { startHerald } from '../../src/herald.js';
import { silentLogger } from '../../src/log.js';
import { SecretBox } from '../../src/security/secretBox.js';
import { displayPrefix, generateIngestToken, hashIngestToken } from '../../src/setup/ingestTokens.js';
import type { TestDatabaseKind } from './databases.js';
import { ENCRYPTION_KEY, TEST_DELIVERY, freePort, heraldEnv, startEmulator, type HeraldFixture } from './herald.js';
import { installWorkspace } from './install.js';

export const WORKSPACE = 'T0ACME';

/**
 * A Herald with Acme installed, shared by the tests of the enclosing `describe`. `env` adds or
 * overrides settings (INGEST_RATE_LIMIT, TRUST_PROXY, …).
 */
export function ingestHerald(kind: TestDatabaseKind, env: Record<string, string> = {}): HeraldFixture {
  const fixture = {} as HeraldFixture; // filled in before the tests run
  before(async () => {
    fixture.emulator = await startEmulator();
    fixture.database = await kind.create();
    const port = await freePort();
    const config = loadConfig({ ...heraldEnv({ port, databaseUrl: fixture.database.url, emulator: fixture.emulator }), ...env });
    const herald = await startHerald(config, silentLogger(), { delivery: TEST_DELIVERY });
    fixture.emulator.eventsUrl = `${config.publicUrl}/slack/events`;
    fixture.herald = { herald, config, url: config.publicUrl };
    await installWorkspace(config.publicUrl, fixture.emulator);
  });
  after(async () => {
    await fixture.herald.herald.close();
    await fixture.emulator.close();
    await fixture.database.drop();
  });
  return fixture;
}

let tokenCount = 0;

/** Stores a new ingest token for the workspace and returns it. */
export async function createToken(
  db: Db,
  options: { installationId?: string; signingSecret?: string; allowedNetworks?: string } = {},
): Promise<{ token: string; id: string }> {
  const token = generateIngestToken();
  const row = await db.ingestToken.create({
    data: {
      installationId: options.installationId ?? WORKSPACE,
      name: `test-${process.pid}-${++tokenCount}`,
      tokenHash: hashIngestToken(token),
      prefix: displayPrefix(token),
      signingSecret: options.signingSecret === undefined ? null : new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64')).seal(options.signingSecret),
      allowedNetworks: options.allowedNetworks ?? '',
      createdBy: 'U0ADMIN',
    },
  });
  return { token, id: row.id };
}

/** The text of `test/fixtures/ingest/<name>.json`, e.g. `alertmanager/firing`. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/ingest/${name}.json`, import.meta.url), 'utf8');
}

export type TokenPlace = 'header' | 'path';

/** POSTs `body` to /alerts/{format}, with the token in the Authorization header or in the URL. */
export function postAlerts(
  baseUrl: string,
  format: string,
  body: string | Uint8Array<ArrayBuffer>,
  p: { token?: string; via?: TokenPlace; headers?: Record<string, string>; method?: string } = {},
): Promise<Response> {
  const via = p.via ?? 'header';
  const url = p.token !== undefined && via === 'path' ? `${baseUrl}/alerts/${format}/${p.token}` : `${baseUrl}/alerts/${format}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (p.token !== undefined && via === 'header') headers.authorization = `Bearer ${p.token}`;
  return fetch(url, { method: p.method ?? 'POST', headers: { ...headers, ...p.headers }, body });
}

/** The answer's status and parsed JSON body. */
export async function answer(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
