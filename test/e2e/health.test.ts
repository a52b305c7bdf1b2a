// What operators poll: liveness, readiness, Prometheus metrics, and unknown routes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { heraldPerTest } from '../helpers/herald.js';

for (const kind of testDatabaseKinds()) {
  describe(`health and metrics on ${kind.name}`, () => {
    const t = heraldPerTest(kind);

    it('answers /healthz and /readyz while the database is reachable', async () => {
      const health = await fetch(`${t.herald.url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
      const ready = await fetch(`${t.herald.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', database: 'ok' });
    });

    it('serves Prometheus metrics, including counts set by Herald', async () => {
      t.herald.herald.metrics.alertsReceived.inc({ format: 'alertmanager', workspace: 'T0ACME' }, 3);
      const response = await fetch(`${t.herald.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.match(text, /^herald_alerts_received_total\{format="alertmanager",workspace="T0ACME"\} 3$/m);
      assert.match(text, /^herald_process_resident_memory_bytes \d+/m);
    });

    it('answers unknown routes with 404 and a JSON error', async () => {
      const response = await fetch(`${t.herald.url}/nope`);
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), { error: 'no route for GET /nope' });
    });

    it('serves the landing page with the Add to Slack button', async () => {
      const response = await fetch(`${t.herald.url}/`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<a class="add-to-slack" href="\/slack\/install">/);
    });
  });
}
