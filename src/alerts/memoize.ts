// A bounded cache for parsers of stored text.
/**
 * Remembers the last results of a parser of stored text (channel filters, silence matchers), so the
 * delivery path does not compile the same regexes for every alert. Bounded: cleared when full.
 */
export function memoize<T>(parse: (text: string) => T, maxEntries = 1000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const value = parse(text);
    if (cache.size >= maxEntries) cache.clear();
    cache.set(text, value);
    return value;
  };
}
