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
  close(): Promise<void>;
}

export async function startHerald(config: Config, log: Logger): Promise<Herald> {
  const database = await openDatabase(config.databaseUrl, log);
  try {
    const box = new SecretBox(config.encryptionKey);
    await verifyEncryptionKey(database.prisma, box);
    const store = new PrismaInstallationStore(database.prisma, box);
    const metrics = new Metrics();
    const web = createWebApp({ config, ping: database.ping, metrics });
    const slack = createSlackApp({ config, db: database.prisma, store, box, log, web });
    finishWebApp(web, log);
    const ingest = createIngestEndpoint({ config, db: database.prisma, box, log, metrics });
    const server = createHttpServer(web, ingest.handle);
    const port = await listen(server, config.port);
    log.info({ port, publicUrl: config.publicUrl, database: database.provider }, 'Herald is listening');
    return {
      port,
      server,
      database,
      store,
      slack,
      ingest,
      metrics,
      close: async () => {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await slack.inFlight.drain(); // listeners Slack already got an answer for
        await ingest.close(); // after the server: no new alerts; before the database: commit the last ones
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
