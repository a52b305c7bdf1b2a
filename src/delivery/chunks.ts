// Long IN (…) lists are split: Prisma refused more than 999 values in one SQLite statement (seen in the bench).
export const CHUNK_SIZE = 500;

export function chunks<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** findMany-style lookups over a long list of keys, one query per chunk. */
export async function inChunks<K, R>(keys: readonly K[], query: (chunk: K[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (const chunk of chunks(keys)) for (const row of await query(chunk)) results.push(row);
  return results;
}
