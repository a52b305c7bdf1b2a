// Wires Herald together: database, encryption, Slack app, HTTP server. main.ts runs it as a
// process; tests start it in-process against the Slack emulator.
import type { Server } from 'node:http';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { createWebApp, finishWebApp } from './http/app.js';
import { createHttpServer, listen } from './http/server.js';
import { createIngestEndpoint, type IngestEndpoint } from './ingest/http/ingestEndpoint.js';
import type { Logger } from './log.js';
import { Metrics } from './observability/metrics.js';
import { verifyEncryptionKey } from './security/keyCheck.js';
import { SecretBox } from './security/secretBox.js';
import { createSlackApp, type SlackSide } from './slack/app.js';
import { BotTokens } from './delivery/botTokens.js';
import { startRetention } from './delivery/retention.js';
import { deliveryClient } from './delivery/slackClient.js';
import { DeliveryWorker, type WorkerOptions } from './delivery/worker.js';
import { PrismaInstallationStore } from './slack/installationStore.js';

export interface Herald {
  /** The port it listens on (useful with PORT=0). */
  port: number;
  server: Server;
  database: Database;
  store: PrismaInstallationStore;
  slack: SlackSide;
  ingest: IngestEndpoint;
  metrics: Metrics;
  delivery: DeliveryWorker;
  close(): Promise<void>;
}

export interface HeraldOptions {
  /** Delivery settings that are not the operator's to change (tests shorten the pacing and polling). */
  delivery?: Partial<WorkerOptions>;
}

export async function startHerald(config: Config, log: Logger, options: HeraldOptions = {}): Promise<Herald> {
  const database = await openDatabase(config.databaseUrl, log);
  try {
    const box = new SecretBox(config.encryptionKey);
    await verifyEncryptionKey(database.prisma, box);
    const store = new PrismaInstallationStore(database.prisma, box);
    const metrics = new Metrics();
    const web = createWebApp({ config, ping: database.ping, metrics });
    // Listeners wake delivery when they queue something; delivery needs the Slack side's installer.
    const slack = createSlackApp({ config, db: database.prisma, store, box, log, web, delivery: { wake: () => delivery.wake() } });
    if (!slack.receiver.installer) throw new Error('the Slack receiver has no OAuth installer');
    const delivery = new DeliveryWorker(
      {
        database,
        slack: deliveryClient(config, log),
        tokens: new BotTokens(slack.receiver.installer, database.prisma),
        metrics,
        log,
        deactivate: (id, at) => store.deactivate(id, at),
      },
      { deadlineMs: config.delivery.deadlineMs, ...options.delivery },
    );
    finishWebApp(web, log);
    const ingest = createIngestEndpoint({ config, database, box, log, metrics, onAccepted: (alerts) => delivery.accepted(alerts) });
    const server = createHttpServer(web, ingest.handle);
    const port = await listen(server, config.port);
    delivery.start();
    const stopRetention = startRetention({ database, log, retentionMs: config.delivery.retentionMs });
    log.info({ port, publicUrl: config.publicUrl, database: database.provider }, 'Herald is listening');
    return {
      port,
      server,
      database,
      store,
      slack,
      ingest,
      metrics,
      delivery,
      close: async () => {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await slack.inFlight.drain(); // listeners Slack already got an answer for
        await ingest.close(); // after the server: no new alerts; before the database: commit the last ones
        await delivery.stop(); // Slack calls in flight settle, so their channels' leases are released
        await stopRetention(); // a sweep in progress ends after its batch
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
