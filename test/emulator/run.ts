// Standalone emulator for `npm run demo` and manual poking: `tsx test/emulator/run.ts`.
// Starts on SLACK_EMULATOR_PORT (default 3100) with one demo workspace and prints where everything is.
import { DEMO_APP, startDemoEmulator } from './demoWorkspace.js';

async function main(): Promise<void> {
  const port = Number(process.env.SLACK_EMULATOR_PORT ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SLACK_EMULATOR_PORT is not a port: ${process.env.SLACK_EMULATOR_PORT}`);
  const emulator = await startDemoEmulator({
    port,
    eventsUrl: process.env.HERALD_EVENTS_URL ?? `${process.env.PUBLIC_URL ?? 'http://localhost:3000'}/slack/events`,
    log: (line) => console.log(`[slack] ${line}`),
  });

  console.log(`Slack emulator listening on ${emulator.url}`);
  console.log(`  overview      ${emulator.url}`);
  console.log(`  Web API       ${emulator.apiUrl}   (SLACK_API_URL)`);
  console.log(`  authorize     ${emulator.authorizeUrl}   (SLACK_AUTHORIZE_URL)`);
  console.log(`  request URL   ${emulator.eventsUrl}   (events, commands, interactivity go here)`);
  console.log(`  client id     ${DEMO_APP.clientId}`);

  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
