// `npm run demo`: Herald and a pretend Slack (the project's emulator) side by side, on SQLite, so a
// newcomer with no Slack app can install Herald in the browser and see what it posts.
// Everything here is for the demo only: fixed demo credentials, its own database file.
import { startHerald, type Herald } from '../src/herald.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { DEMO_APP, startDemoEmulator } from '../test/emulator/demoWorkspace.js';
import type { SlackEmulator } from '../test/emulator/index.js';
import { playDemoStory } from './demoStory.js';

const HERALD_PORT = Number(process.env.PORT ?? 3000);
const SLACK_PORT = Number(process.env.SLACK_EMULATOR_PORT ?? 3100);
const heraldUrl = `http://localhost:${HERALD_PORT}`;

async function main(): Promise<void> {
  const slack = await startDemoEmulator({ port: SLACK_PORT, eventsUrl: `${heraldUrl}/slack/events`, log: (line) => console.log(`[slack]  ${line}`) });
  const config = loadConfig({
    PORT: String(HERALD_PORT),
    PUBLIC_URL: heraldUrl,
    DATABASE_URL: process.env.DEMO_DATABASE_URL ?? 'file:./data/demo.db',
    SLACK_CLIENT_ID: DEMO_APP.clientId,
    SLACK_CLIENT_SECRET: DEMO_APP.clientSecret,
    SLACK_SIGNING_SECRET: DEMO_APP.signingSecret,
    SLACK_STATE_SECRET: 'demo-state-secret',
    // A fixed key, so the demo database stays readable across runs. Never use it for real.
    HERALD_ENCRYPTION_KEY: Buffer.alloc(32, 'herald-demo').toString('base64'),
    SLACK_API_URL: slack.apiUrl,
    SLACK_AUTHORIZE_URL: slack.authorizeUrl,
    LOG_LEVEL: 'warn',
  });
  const herald = await startHerald(config, createLogger(config.logLevel));
  console.log(`
Herald demo is running.

  1. Open ${heraldUrl} and click "Add to Slack".
  2. On the pretend Slack's consent page, pick "Demo Workspace" and the #alerts channel, then Allow.
  3. Herald shows its success page; the welcome message appears in #alerts at ${slack.url}
     (and as a [slack] chat.postMessage line below).
  4. Once the workspace is installed, the demo creates an ingest token and plays sample alerts
     (Alertmanager, Grafana, an Amplitude monitor): they fire, one group grows and is updated in
     place, then resolves with a thread reply. Each step prints what #alerts shows.

Press Ctrl+C to stop.
`);
  const sampleAlerts = sendSampleAlertsOnceInstalled(herald, slack);
  const stop = async () => {
    sampleAlerts.cancel();
    await herald.close();
    await slack.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Waits for an installed workspace, then plays the sample alert story once. */
function sendSampleAlertsOnceInstalled(herald: Herald, slack: SlackEmulator): { cancel(): void } {
  let cancelled = false;
  const run = async () => {
    const db = herald.database.prisma;
    let installation = null;
    while (!cancelled && installation === null) {
      installation = await db.installation.findFirst({ where: { active: true }, orderBy: { installedAt: 'desc' } });
      if (installation === null) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (installation === null) return;
    await playDemoStory(herald, slack, heraldUrl, installation.id, () => cancelled);
  };
  run().catch((error: unknown) => console.error(`sending sample alerts failed: ${error instanceof Error ? error.message : String(error)}`));
  return { cancel: () => void (cancelled = true) };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
