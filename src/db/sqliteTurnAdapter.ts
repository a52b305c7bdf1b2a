// Prisma's SQLite connection takes its write turn (sqliteWriteTurns.ts) like Herald's other writers.
// Its driver is synchronous: a write that met the lock held by the SQLite writer thread waited in
// SQLite's busy handler, which sleeps in growing steps with the whole request thread blocked. Under
// a flood of 100-alert requests the delivery worker's channel claims blocked it 25 ms on average and
// up to 88 ms, 57 times in 15 s. Waiting for a turn blocks nothing: the requests are answered
// meanwhile, and the lock is free when the turn comes.
//
// Reads (SELECT) go straight through: in WAL mode they never wait for the writer. A transaction
// holds one turn from BEGIN to COMMIT or ROLLBACK, its statements inside it.
import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { inWriteTurn, takeWriteTurn } from './sqliteWriteTurns.js';

type AdapterFactory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<AdapterFactory['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;
type Query = Parameters<Adapter['queryRaw']>[0];

const READS = /^\s*SELECT\b/i;

/** `factory`, with every write of its connection taken in `path`'s write turn. */
export function takingWriteTurns(factory: AdapterFactory, path: string): AdapterFactory {
  return delegate(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      return delegate(adapter, {
        queryRaw: (query: Query) => (READS.test(query.sql) ? adapter.queryRaw(query) : inWriteTurn(path, () => adapter.queryRaw(query))),
        executeRaw: (query: Query) => inWriteTurn(path, () => adapter.executeRaw(query)),
        startTransaction: (isolationLevel?: Parameters<Adapter['startTransaction']>[0]) => inTurnUntilEnd(path, () => adapter.startTransaction(isolationLevel)),
      });
    },
  });
}

/** Takes a turn, starts the transaction in it, and ends the turn once the transaction commits or rolls back. */
async function inTurnUntilEnd(path: string, start: () => Promise<Transaction>): Promise<Transaction> {
  const endTurn = await takeWriteTurn(path);
  let transaction: Transaction;
  try {
    transaction = await start();
  } catch (error) {
    endTurn();
    throw error;
  }
  const thenEnd = (finish: () => Promise<void>) => () => finish().finally(endTurn);
  return delegate(transaction, { commit: thenEnd(() => transaction.commit()), rollback: thenEnd(() => transaction.rollback()) });
}

/** `target` with some of its methods replaced; the others are called on `target` itself (its private fields need it). */
function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof T];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}
