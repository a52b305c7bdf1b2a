// Herald's Express app: pages, health checks and metrics. Slack's routes are mounted on it by the Bolt
// receiver (src/slack/app.ts); `finish` adds the 404 and error handlers after everything else.
import express, { type Application, type ErrorRequestHandler } from 'express';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../observability/metrics.js';
import { mountHealth } from './health.js';
import { landingPage } from './pages/landing.js';

export function createWebApp(deps: { config: Config; ping: () => Promise<boolean>; metrics: Metrics }): Application {
  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', deps.config.trustProxy);
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.type('html').send(landingPage());
  });
  mountHealth(router, deps.ping, deps.metrics);
  web.use(router);
  return web;
}

/** The last handlers: unknown routes get 404; errors a client caused keep their 4xx status. */
export function finishWebApp(web: Application, log: Logger): void {
  web.use((req, res) => {
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error instanceof Error ? error.message : String(error), path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({ error: status === 500 ? 'internal error' : (error.message ?? 'bad request') });
  };
  web.use(onError);
}
