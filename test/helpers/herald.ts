// Starts a real Herald (real HTTP server, real database) wired to a Slack emulator, in this process.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'node:test';
import { createServer } from 'node:net';
import { loadConfig, type Config } from '../../src/config.js';
import { startHerald, type Herald, type HeraldOptions } from '../../src/herald.js';
import { silentLogger } from '../../src/log.js';
import { SlackEmulator } from '../emulator/index.js';
import type { EmulatorOptions } from '../emulator/types.js';
import type { TestDatabase, TestDatabaseKind } from './databases.js';
import { installWorkspace } from './install.js';

export const SLACK_APP = { clientId: '1111.2222', clientSecret: 'test-client-secret', signingSecret: 'test-signing-secret' };
export const ENCRYPTION_KEY = randomBytes(32).toString('base64');

/** The environment Herald reads, pointed at the emulator: what an operator's .env would hold. */
export function heraldEnv(p: { port: number; databaseUrl: string; emulator: SlackEmulator; encryptionKey?: string }): Record<string, string> {
  return {
    PORT: String(p.port),
    PUBLIC_URL: `http://127.0.0.1:${p.port}`,
    DATABASE_URL: p.databaseUrl,
    SLACK_CLIENT_ID: SLACK_APP.clientId,
    SLACK_CLIENT_SECRET: SLACK_APP.clientSecret,
    SLACK_SIGNING_SECRET: SLACK_APP.signingSecret,
    SLACK_STATE_SECRET: 'test-state-secret',
    HERALD_ENCRYPTION_KEY: p.encryptionKey ?? ENCRYPTION_KEY,
    SLACK_API_URL: p.emulator.apiUrl,
    SLACK_AUTHORIZE_URL: p.emulator.authorizeUrl,
    LOG_LEVEL: 'error',
  };
}

/** A port that was free a moment ago: PUBLIC_URL must be known before Herald listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestHerald {
  herald: Herald;
  config: Config;
  url: string;
}

/** Tests look at the database often, so deliveries do not wait for the production poll interval. */
export const TEST_DELIVERY: HeraldOptions['delivery'] = { pollMs: 50 };

export async function startTestHerald(p: {
  databaseUrl: string;
  emulator: SlackEmulator;
  encryptionKey?: string;
  env?: Record<string, string>;
  delivery?: HeraldOptions['delivery'];
}): Promise<TestHerald> {
  const port = await freePort();
  const config = loadConfig({ ...heraldEnv({ ...p, port }), ...p.env });
  const herald = await startHerald(config, silentLogger(), { delivery: { ...TEST_DELIVERY, ...p.delivery } });
  p.emulator.eventsUrl = `${config.publicUrl}/slack/events`;
  return { herald, config, url: config.publicUrl };
}

/** An emulator with the Slack app's credentials and one workspace: Acme, with #alerts and an admin. */
export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<SlackEmulator> {
  const emulator = await SlackEmulator.start({ ...SLACK_APP, ...options });
  emulator.addWorkspace({ id: 'T0ACME', name: 'Acme' });
  emulator.addUser('T0ACME', { id: 'U0ADMIN', name: 'ada', isAdmin: true });
  emulator.addChannel('T0ACME', { id: 'C0ALERTS', name: 'alerts' });
  return emulator;
}

/** A fresh emulator, database and Herald for every test of the enclosing `describe`. */
export interface HeraldFixture {
  emulator: SlackEmulator;
  database: TestDatabase;
  herald: TestHerald;
}

export function heraldPerTest(
  kind: TestDatabaseKind,
  options: { install?: boolean; emulator?: Partial<EmulatorOptions>; delivery?: HeraldOptions['delivery']; env?: Record<string, string> } = {},
): HeraldFixture {
  const fixture = {} as HeraldFixture; // filled in before each test
  beforeEach(async () => {
    fixture.emulator = await startEmulator(options.emulator);
    fixture.database = await kind.create();
    fixture.herald = await startTestHerald({ databaseUrl: fixture.database.url, emulator: fixture.emulator, delivery: options.delivery, env: options.env });
    if (options.install) await installWorkspace(fixture.herald.url, fixture.emulator);
  });
  afterEach(async () => {
    await fixture.herald.herald.close();
    await fixture.emulator.close();
    await fixture.database.drop();
  });
  return fixture;
}
