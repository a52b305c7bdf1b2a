// SQLite has one writer at a time. Herald's own writers on one file (ingest's commits and the
// delivery planner, both on the SQLite writer thread, sqliteWriter/) take turns here, first come
// first served, instead of polling for the lock: ingest commits back to back under a flood, and a
// planner retrying on a timer would rarely find the lock free between two of them. Prisma's
// connection takes turns too (sqliteTurnAdapter.ts); other processes still meet at the lock
// itself, with its busy handling.
//
// Writers of one `team` share a turn, several at once: ingest's batches, which the writer thread
// commits one after the other (sqliteAcceptStore.ts). A writer joins its team's turn only while
// nobody else waits for one, so a flood of ingest commits never starves the planner: once the
// planner queues, ingest's next batch queues behind it.

interface Waiter {
  team: string | undefined;
  start(): void;
}

interface Lane {
  /** Writers running in the current turn: one, or several of one team. */
  running: number;
  team: string | undefined;
  queue: Waiter[];
}

const lanes = new Map<string, Lane>();

/** Runs `work` when the writers of `path` queued before it are done (or, with `team`, alongside its team's turn). */
export async function inWriteTurn<T>(path: string, work: () => Promise<T>, options: { team?: string } = {}): Promise<T> {
  const endTurn = await takeWriteTurn(path, options);
  try {
    return await work();
  } finally {
    endTurn();
  }
}

/** Waits for a turn as inWriteTurn does; returns the function that ends it (for a turn that spans callbacks). */
export async function takeWriteTurn(path: string, options: { team?: string } = {}): Promise<() => void> {
  const lane = lanes.get(path) ?? openLane(path);
  await enter(lane, options.team);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    leave(path, lane);
  };
}

function openLane(path: string): Lane {
  const lane: Lane = { running: 0, team: undefined, queue: [] };
  lanes.set(path, lane);
  return lane;
}

function enter(lane: Lane, team: string | undefined): Promise<void> {
  const joins = team !== undefined && lane.team === team && lane.queue.length === 0;
  if (lane.running === 0 || joins) {
    lane.running++;
    lane.team = team;
    return Promise.resolve();
  }
  return new Promise((start) => lane.queue.push({ team, start }));
}

function leave(path: string, lane: Lane): void {
  lane.running--;
  if (lane.running > 0) return;
  const next = lane.queue.shift();
  if (!next) {
    lanes.delete(path);
    return;
  }
  lane.running = 1;
  lane.team = next.team;
  next.start();
  // Its team's writers queued right behind it share its turn.
  while (next.team !== undefined && lane.queue[0]?.team === next.team) {
    lane.running++;
    lane.queue.shift()?.start();
  }
}
