// Maintenance that runs now and then beside the work (pruning old digests, deleting expired
// alerts): the next run is timed from the end of the last, so runs never overlap; a failure is
// logged and the next run tries again; the timer never holds the process open; and stopping waits
// for a run in progress, which is told to stop through its signal.
import type { Logger } from './log.js';

export interface PeriodicWork {
  /** What the work does, for the warning when it fails: "could not {what}; will retry". */
  what: string;
  firstAfterMs: number;
  everyMs: number;
  log: Logger;
  work(signal: AbortSignal): Promise<void>;
}

/** Starts the runs; returns the function that stops them, resolving once a run in progress has ended. */
export function runPeriodically({ what, firstAfterMs, everyMs, log, work }: PeriodicWork): () => Promise<void> {
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout;

  const run = async () => {
    try {
      await work(stopping.signal);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, `could not ${what}; will retry`);
    }
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = run().then(() => {
        if (!stopping.signal.aborted) schedule(everyMs);
      });
    }, ms);
    timer.unref();
  };
  schedule(firstAfterMs);

  return async () => {
    stopping.abort();
    clearTimeout(timer);
    await running;
  };
}
