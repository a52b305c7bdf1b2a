// Liveness and readiness for orchestrators: /healthz answers while the process serves HTTP,
// /readyz only while the database answers too (a load balancer stops sending alerts otherwise).
import type { Router } from 'express';

export function mountHealth(router: Router, ping: () => Promise<boolean>): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = await ping();
    res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'unavailable', database: database ? 'ok' : 'unreachable' });
  });
}
