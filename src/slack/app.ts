// The Slack side of Herald: a Bolt app on an ExpressReceiver mounted on Herald's Express app.
// It serves the OAuth install flow (/slack/install, /slack/oauth_redirect) and the signed requests
// Slack sends to /slack/events (events, slash commands, interactivity).
import { App, ExpressReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Application } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { slackLogger, type Logger } from '../log.js';
import { InFlight } from './inFlight.js';
import { installCallbacks } from './installCallbacks.js';
import type { SecretBox } from '../security/secretBox.js';
import type { PrismaInstallationStore } from './installationStore.js';
import { registerListeners } from './listeners/index.js';
import { BOT_SCOPES } from './scopes.js';

export const EVENTS_PATH = '/slack/events';

/**
 * Bolt answers 500 when its own routing trips over a signed but malformed body (`{"event":null}`,
 * block_actions without a user: found by fuzzing). Listener errors go to app.error instead, so what
 * reaches this handler is a request Bolt could not make sense of: 400, as for any bad input.
 */
const answerMalformedEvent: NonNullable<ConstructorParameters<typeof ExpressReceiver>[0]['processEventErrorHandler']> = async ({ error, response }) => {
  if (response.headersSent) return false;
  const unauthorized = (error as { code?: string }).code === 'slack_bolt_authorization_error'; // no installation for it
  response.writeHead(unauthorized ? 401 : 400);
  response.end();
  return true;
};

export interface SlackSide {
  app: App;
  receiver: ExpressReceiver;
  /** A Web API client without a token (pass `token` per call), pointed at SLACK_API_URL. */
  client: WebClient;
  /** Listener work still running after Slack got its answer; shutdown waits for it. */
  inFlight: InFlight;
}

export function createSlackApp(deps: {
  config: Config;
  db: Db;
  store: PrismaInstallationStore;
  box: SecretBox;
  log: Logger;
  web: Application;
  delivery: { wake(): void };
}): SlackSide {
  const { config, db, store, box, log, web, delivery } = deps;
  const logger = slackLogger(log);
  // Every Slack call (Bolt's, the OAuth code exchange, token refresh, Herald's own) goes to
  // SLACK_API_URL: GovSlack, or the emulator in tests and the demo.
  const clientOptions = { slackApiUrl: config.slack.apiUrl, logger };
  const client = new WebClient(undefined, clientOptions);
  const receiver = new ExpressReceiver({
    app: web,
    signingSecret: config.slack.signingSecret,
    clientId: config.slack.clientId,
    clientSecret: config.slack.clientSecret,
    stateSecret: config.slack.stateSecret,
    scopes: BOT_SCOPES,
    redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
    installationStore: store,
    endpoints: EVENTS_PATH,
    logger,
    processEventErrorHandler: answerMalformedEvent,
    installerOptions: {
      directInstall: true, // GET /slack/install redirects straight to Slack; the landing page has the button
      redirectUriPath: '/slack/oauth_redirect',
      authorizationUrl: config.slack.authorizeUrl,
      clientOptions,
      callbackOptions: installCallbacks({ db, client, log }),
    },
  });
  const app = new App({ receiver, logger, clientOptions });
  const inFlight = new InFlight();
  app.use(async ({ next }) => inFlight.track(next()));
  registerListeners(app, { config, db, store, box, log, delivery });
  app.error(async (error) => {
    log.error({ err: error.message, code: error.code }, 'a Slack listener failed');
  });
  return { app, receiver, client, inFlight };
}
