// Bolt answers Slack (ack) before its listeners finish, so a listener may still be writing to the
// database when Herald is asked to stop. Shutdown waits for them here before closing the database;
// closing it under a running transaction would leave that transaction, and the shutdown, hanging.

export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  /** Runs `work`, remembering it until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const forget = () => this.#pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once everything tracked (including work started meanwhile) has settled. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
