// Alertmanager HA pairs send every notification twice, and senders retry: the same content within
// the repeat window counts once, whether the copies come one after the other or at the same time.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { testDatabaseKinds } from '../helpers/databases.js';
import { answer, createToken, fixtureText, ingestHerald, postAlerts } from '../helpers/ingest.js';

for (const kind of testDatabaseKinds()) {
  describe(`repeated notifications on ${kind.name}`, () => {
    const t = ingestHerald(kind);
    let token: string;
    const db = () => t.herald.herald.database.prisma;
    const post = (body: unknown) => postAlerts(t.herald.url, 'alertmanager', JSON.stringify(body), { token });
    /** The firing fixture (two alerts) under its own group key. */
    const notification = (groupKey: string) => ({ ...(JSON.parse(fixtureText('alertmanager/firing')) as { alerts: Record<string, unknown>[] }), groupKey });
    const stored = (groupKey: string) => db().incomingAlert.count({ where: { groupKey } });

    before(async () => {
      token = (await createToken(db())).token;
    });

    it('counts the same notification posted twice once', async () => {
      assert.deepEqual(await answer(await post(notification('twice'))), { status: 202, body: { accepted: 2, duplicates: 0 } });
      assert.deepEqual(await answer(await post(notification('twice'))), { status: 202, body: { accepted: 0, duplicates: 2 } });
      assert.equal(await stored('twice'), 2);
    });

    it('counts copies posted at the same time once (as an HA pair sends them)', async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(notification('together')).then(answer)));
      assert.ok(answers.every((a) => a.status === 202));
      assert.equal(answers.reduce((sum, a) => sum + Number(a.body.accepted), 0), 2);
      assert.equal(answers.reduce((sum, a) => sum + Number(a.body.duplicates), 0), 14);
      assert.equal(await stored('together'), 2);
    });

    it('does not mistake news for a repeat: the alerts resolving, or firing again', async () => {
      const firing = notification('news');
      assert.equal((await answer(await post(firing))).body.accepted, 2);
      const alerts = firing.alerts;
      const resolved = { ...firing, status: 'resolved', alerts: alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2024-05-14T10:00:00Z' })) };
      assert.deepEqual((await answer(await post(resolved))).body, { accepted: 2, duplicates: 0 });
      // The same labels firing again later: a new startsAt makes it a new notification.
      const again = { ...firing, alerts: alerts.map((a) => ({ ...a, startsAt: '2024-05-14T11:00:00Z' })) };
      assert.deepEqual((await answer(await post(again))).body, { accepted: 2, duplicates: 0 });
      // One alert more in the group is a different notification too.
      const grown = { ...firing, alerts: [...alerts, { ...alerts[0], fingerprint: 'ffffffffffffffff' }] };
      assert.deepEqual((await answer(await post(grown))).body, { accepted: 3, duplicates: 0 });
      assert.equal(await stored('news'), 9);
    });

    it('treats the same alerts in another order as the same notification', async () => {
      const first = notification('order');
      assert.equal((await answer(await post(first))).body.accepted, 2);
      const reversed = { ...first, alerts: [...first.alerts].reverse() };
      assert.deepEqual((await answer(await post(reversed))).body, { accepted: 0, duplicates: 2 });
    });

    it('stores the notification again once its digest is older than the repeat window', async () => {
      assert.equal((await answer(await post(notification('window')))).body.accepted, 2);
      // Age the digest past the 12-hour window, as if the notification had come yesterday.
      await db().payloadDigest.updateMany({ data: { lastSeenAt: new Date(Date.now() - 13 * 60 * 60 * 1000) } });
      assert.deepEqual((await answer(await post(notification('window')))).body, { accepted: 2, duplicates: 0 });
      assert.deepEqual((await answer(await post(notification('window')))).body, { accepted: 0, duplicates: 2 });
      assert.equal(await stored('window'), 4);
    });
  });
}
