// How long to wait before trying a failed Slack call again: exponential, capped, with jitter so
// that many channels failing together (Slack down) do not all come back in the same second.
const BASE_MS = 1_000;
const CAP_MS = 5 * 60_000;

/** The wait before attempt `attempt + 1`, for `attempt` ≥ 1: between half and all of min(cap, base·2^(attempt−1)). */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
