// The pretend Slack of `npm run demo` and `tsx test/emulator/run.ts`: one workspace with a few
// people and channels, so a newcomer can install Herald and watch what it posts.
import { SlackEmulator } from './index.js';

export const DEMO_APP = {
  clientId: process.env.SLACK_CLIENT_ID ?? 'demo-client-id',
  clientSecret: process.env.SLACK_CLIENT_SECRET ?? 'demo-client-secret',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'demo-signing-secret',
};

export async function startDemoEmulator(p: { port: number; eventsUrl: string; log: (line: string) => void }): Promise<SlackEmulator> {
  const emulator = await SlackEmulator.start({ ...DEMO_APP, ...p });
  emulator.addWorkspace({ id: 'T0DEMO', name: 'Demo Workspace', domain: 'demo' });
  emulator.addUser('T0DEMO', { id: 'U0DEMO', name: 'demo-admin', realName: 'Demo Admin', isAdmin: true, isOwner: true, isPrimaryOwner: true });
  emulator.addUser('T0DEMO', { id: 'U0ALICE', name: 'alice' });
  emulator.addChannel('T0DEMO', { id: 'C0ALERTS', name: 'alerts', members: ['U0DEMO', 'U0ALICE'] });
  emulator.addChannel('T0DEMO', { id: 'C0OPS', name: 'ops', members: ['U0DEMO'] });
  emulator.addChannel('T0DEMO', { id: 'G0SECRET', name: 'incident-private', isPrivate: true, members: ['U0DEMO'] });
  return emulator;
}
