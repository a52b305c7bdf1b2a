// Injected failures: make a Web API method answer 500s, Slack errors or slowly, for a number of calls.
import type { FailureSpec } from './types.js';

export class FailureInjector {
  private readonly failures = new Map<string, FailureSpec>();
  private readonly pendingDelays = new Set<() => void>();

  set(method: string, failure: FailureSpec | null): void {
    if (failure) this.failures.set(method, { ...failure });
    else this.failures.delete(method);
  }

  /** The failure to apply to this call, counting it against `times`. */
  take(method: string): FailureSpec | undefined {
    const failure = this.failures.get(method);
    if (!failure) return undefined;
    if (failure.times !== undefined) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.delete(method);
    }
    return failure;
  }

  /** Waits `ms`, or less if the emulator closes first, so no timer outlives it. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.pendingDelays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.pendingDelays.add(finish);
    });
  }

  cancelDelays(): void {
    for (const finish of [...this.pendingDelays]) finish();
  }
}
