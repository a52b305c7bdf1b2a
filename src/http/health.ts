// What operators and orchestrators poll: /healthz answers while the process serves HTTP, /readyz
// only while the database answers too (a load balancer stops sending alerts otherwise), and
// /metrics in Prometheus's text format.
import type { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';

export function mountHealth(router: Router, ping: () => Promise<boolean>, metrics: Metrics): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = await ping();
    res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'unavailable', database: database ? 'ok' : 'unreachable' });
  });
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.exposition();
    res.type(contentType).send(body);
  });
}
