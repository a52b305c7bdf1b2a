// `npm run demo`: Herald and a pretend Slack (the project's emulator) side by side, on SQLite, so a
// newcomer with no Slack app can install Herald in the browser and see what it posts.
// Everything here is for the demo only: fixed demo credentials, its own database file.
import { readFileSync } from 'node:fs';
import { startHerald, type Herald } from '../src/herald.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { displayPrefix, generateIngestToken, hashIngestToken } from '../src/setup/ingestTokens.js';
import { DEMO_APP, startDemoEmulator } from '../test/emulator/demoWorkspace.js';

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
  4. Once the workspace is installed, the demo creates an ingest token and sends sample alerts
     (Alertmanager, Grafana, a Slack webhook payload); the requests are printed as curl commands.

Press Ctrl+C to stop.
`);
  const sampleAlerts = sendSampleAlertsOnceInstalled(herald);
  const stop = async () => {
    sampleAlerts.cancel();
    await herald.close();
    await slack.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

// Step 4: sample alerts. Fixtures from the tests, so they are the formats as their senders write them.
const SAMPLES = [
  { format: 'alertmanager', file: 'test/fixtures/ingest/alertmanager/firing.json' },
  { format: 'grafana', file: 'test/fixtures/ingest/grafana/firing.json' },
  { format: 'slack', file: 'test/fixtures/ingest/slack/amplitude.json' },
];
const DEMO_TOKEN_NAME = 'demo';

/** Waits for an installed workspace, then sends the samples once. */
function sendSampleAlertsOnceInstalled(herald: Herald): { cancel(): void } {
  let cancelled = false;
  const run = async () => {
    const db = herald.database.prisma;
    let installation = null;
    while (!cancelled && installation === null) {
      installation = await db.installation.findFirst({ where: { active: true }, orderBy: { installedAt: 'desc' } });
      if (installation === null) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (installation === null) return;
    // Only a token's hash is stored, so each run makes a new demo token in place of the last one.
    const token = generateIngestToken();
    await db.ingestToken.deleteMany({ where: { installationId: installation.id, name: DEMO_TOKEN_NAME } });
    await db.ingestToken.create({
      data: { installationId: installation.id, name: DEMO_TOKEN_NAME, tokenHash: hashIngestToken(token), prefix: displayPrefix(token), createdBy: 'demo' },
    });
    console.log(`\nSending sample alerts to ${installation.teamName ?? installation.id} with a new ingest token "${DEMO_TOKEN_NAME}":\n`);
    for (const { format, file } of SAMPLES) {
      const url = `${heraldUrl}/alerts/${format}`;
      console.log(`$ curl -sS ${url} -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/json' --data-binary @${file}`);
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: readFileSync(new URL(`../${file}`, import.meta.url)),
      });
      console.log(`${response.status} ${await response.text()}\n`);
    }
    console.log('Run a command again: a repeated Alertmanager notification counts as a duplicate, not a new alert.\n');
  };
  run().catch((error: unknown) => console.error(`sending sample alerts failed: ${error instanceof Error ? error.message : String(error)}`));
  return { cancel: () => void (cancelled = true) };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
