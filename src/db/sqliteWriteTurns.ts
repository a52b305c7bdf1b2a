// SQLite has one writer at a time. Herald's own writers on one file (ingest's accept thread, the
// delivery planner) take turns here, first come first served, instead of polling for the lock:
// ingest commits back to back under a flood, and a planner retrying on a timer would rarely find
// the lock free between two of them. Other processes (and Prisma's connection) still meet at the
// lock itself, with its busy handling.
const tails = new Map<string, Promise<void>>();

/** Runs `work` when the writers of `path` queued before it are done. */
export async function inWriteTurn<T>(path: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(path) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => (done = resolve));
  const tail = before.then(() => mine);
  tails.set(path, tail);
  await before;
  try {
    return await work();
  } finally {
    done();
    if (tails.get(path) === tail) tails.delete(path);
  }
}
