// Group commit: the payloads submitted in one event-loop turn are committed together, at most as
// many batches are committing at once as the store takes (batchesInFlight), and the payloads that
// come meanwhile form the next batch. The store here is a stand-in whose commits end when the test
// says, to see which batches the database would be given and when.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Acceptance, AcceptOutcome } from '../../src/ingest/accept/batchPlan.js';
import { GroupCommit, HeraldStopping } from '../../src/ingest/accept/groupCommit.js';
import type { AcceptStore } from '../../src/ingest/accept/stores/acceptStore.js';
import { silentLogger } from '../../src/log.js';

interface HeldCommit {
  digests: string[];
  finish(): void;
  fail(error: Error): void;
}

/** A store that records each batch it is given and commits it when the test calls finish(). */
function heldStore(batchesInFlight = 2): AcceptStore & { commits: HeldCommit[]; committing(): number } {
  const commits: HeldCommit[] = [];
  let open = 0;
  return {
    batchesInFlight,
    commits,
    committing: () => open,
    commit: (batch) => {
      open++;
      return new Promise<AcceptOutcome[]>((resolve, reject) => {
        commits.push({
          digests: batch.map((acceptance) => acceptance.digest),
          finish: () => {
            open--;
            resolve(batch.map((acceptance) => ({ accepted: acceptance.rows.length, duplicates: 0 })));
          },
          fail: (error) => {
            open--;
            reject(error);
          },
        });
      });
    },
    close: async () => undefined,
  };
}

const payload = (digest: string): Acceptance => ({ installationId: 'T0ACME', digest, rows: [] });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it("commits a turn's payloads together, as many batches at once as the store takes, and the rest as one batch when one ends", async () => {
    const store = heldStore(2);
    const accept = new GroupCommit({ store, log: silentLogger(), repeatWindowMs: 60_000 });
    const answered: string[] = [];
    const submit = (digest: string) => void accept.submit(payload(digest)).then(() => answered.push(digest));

    submit('a1');
    submit('a2');
    await nextTurn();
    assert.deepEqual(store.commits.map((c) => c.digests), [['a1', 'a2']], 'one turn, one batch');

    submit('b1');
    await nextTurn();
    assert.deepEqual(store.commits.map((c) => c.digests), [['a1', 'a2'], ['b1']], 'the second batch goes while the first commits');

    submit('c1');
    await nextTurn();
    submit('c2');
    await nextTurn();
    assert.equal(store.commits.length, 2, 'no third batch while two are committing');
    assert.equal(store.committing(), 2);

    store.commits[1]?.finish();
    await nextTurn();
    assert.deepEqual(answered, ['b1'], 'each batch is answered when it commits, whatever the order');
    assert.deepEqual(store.commits[2]?.digests, ['c1', 'c2'], 'what waited goes as one batch');

    store.commits[0]?.finish();
    store.commits[2]?.finish();
    await nextTurn();
    assert.deepEqual(answered, ['b1', 'a1', 'a2', 'c1', 'c2']);
    assert.equal(store.committing(), 0);
  });

  it('hands a store that takes one batch at a time the next only when the last is committed', async () => {
    const store = heldStore(1);
    const accept = new GroupCommit({ store, log: silentLogger(), repeatWindowMs: 60_000 });
    void accept.submit(payload('a'));
    await nextTurn();
    void accept.submit(payload('b1'));
    void accept.submit(payload('b2'));
    await nextTurn();
    assert.deepEqual(store.commits.map((c) => c.digests), [['a']], 'b waits for a');
    store.commits[0]?.finish();
    await nextTurn();
    assert.deepEqual(store.commits.map((c) => c.digests), [['a'], ['b1', 'b2']]);
    store.commits[1]?.finish();
    await accept.close();
  });

  it('closes once every queued payload is committed, and refuses new ones', async () => {
    const store = heldStore();
    const accept = new GroupCommit({ store, log: silentLogger(), repeatWindowMs: 60_000 });
    const outcomes = ['a', 'b', 'c'].map((digest) => accept.submit(payload(digest)));
    let closed = false;
    const closing = accept.close().then(() => (closed = true));
    await assert.rejects(accept.submit(payload('late')), HeraldStopping);
    // close() started the queued payloads at once, without waiting for the turn's end.
    assert.deepEqual(store.commits.map((c) => c.digests), [['a', 'b', 'c']]);
    await nextTurn();
    assert.equal(closed, false, 'close waits for the batch in flight');
    store.commits[0]?.finish();
    await closing;
    assert.equal((await Promise.all(outcomes)).length, 3);
  });

  it('commits a failed batch payload by payload, so one the database refuses fails alone', async () => {
    const store = heldStore();
    const accept = new GroupCommit({ store, log: silentLogger(), repeatWindowMs: 60_000 });
    const good = accept.submit(payload('good'));
    const bad = accept.submit(payload('bad'));
    await nextTurn();
    store.commits[0]?.fail(new Error('constraint failed'));
    await nextTurn();
    assert.deepEqual(store.commits.map((c) => c.digests), [['good', 'bad'], ['good']], 'one by one, in order');
    store.commits[1]?.finish();
    await nextTurn();
    store.commits[2]?.fail(new Error('constraint failed'));
    assert.deepEqual(await good, { accepted: 0, duplicates: 0 });
    await assert.rejects(bad, /constraint failed/);
  });
});
