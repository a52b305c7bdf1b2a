// Stable identities for alerts and alert groups, for senders that do not give their own.
//
// The hash is the one Prometheus and Alertmanager use for a label set (FNV-1a, 64 bits, over
// `name 0xff value 0xff` for each label in byte order of the names), written as 16 hex digits.
// Using the same function means an alert keeps the same fingerprint whether Alertmanager sent its
// own or Herald computed it, and the result never depends on the order of keys in the JSON.

const SEPARATOR_BYTE = 0xff;
const encoder = new TextEncoder();

/** The fingerprint of a label set: 16 hex digits, independent of the order of the keys. */
export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  const hash = new Fnv1a64();
  const names = Object.keys(labels).map((name) => ({ name, bytes: encoder.encode(name) }));
  // Go sorts label names as byte strings; JavaScript's default sort compares UTF-16 units, which
  // orders some non-ASCII names differently, so compare the UTF-8 bytes.
  names.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  for (const { name, bytes } of names) {
    hash.addBytes(bytes);
    hash.addByte(SEPARATOR_BYTE);
    hash.addBytes(encoder.encode(labels[name] ?? ''));
    hash.addByte(SEPARATOR_BYTE);
  }
  return hash.hex();
}

/**
 * The group key of the alerts of one payload. The rule, first match wins:
 *
 * 1. the sender's own group key (Alertmanager's and Grafana's `groupKey`, the generic `group`)
 *    when it is given and not blank, unchanged;
 * 2. otherwise, when the sender groups by labels (Alertmanager-like payloads, `groupLabels`), the
 *    fingerprint of the group labels. Empty group labels are a real group, Alertmanager's
 *    "group_by: []" that puts every alert of a route together, so they give one constant key;
 * 3. otherwise (Slack and generic alerts) a hash of the title, so that repeated notifications
 *    about the same thing share a group.
 */
export function groupKeyFor(sender: {
  groupKey?: string | null | undefined;
  groupLabels?: Readonly<Record<string, string>> | null | undefined;
  title: string;
}): string {
  if (sender.groupKey !== undefined && sender.groupKey !== null && sender.groupKey.trim() !== '') {
    return sender.groupKey;
  }
  if (sender.groupLabels !== undefined) return labelsFingerprint(sender.groupLabels ?? {});
  // A separate name from any label keeps a title-only key from looking like a one-label set.
  return labelsFingerprint({ '(title)': sender.title });
}

/**
 * FNV-1a with 64 bits, kept in four 16-bit limbs (least significant first) so that it runs on
 * plain numbers: BigInt arithmetic per byte is many times slower on payloads of 10,000 alerts.
 */
class Fnv1a64 {
  // The offset basis 0xcbf29ce484222325.
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  addBytes(bytes: Uint8Array): void {
    for (const byte of bytes) this.addByte(byte);
  }

  addByte(byte: number): void {
    this.h0 ^= byte;
    // Multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64: the 2^40 part shifts
    // limb n into limb n+2 and 8 bits up (a factor 0x100).
    const t0 = this.h0 * 0x1b3;
    const t1 = this.h1 * 0x1b3 + (t0 >>> 16);
    const t2 = this.h2 * 0x1b3 + this.h0 * 0x100 + (t1 >>> 16);
    const t3 = this.h3 * 0x1b3 + this.h1 * 0x100 + (t2 >>> 16);
    this.h0 = t0 & 0xffff;
    this.h1 = t1 & 0xffff;
    this.h2 = t2 & 0xffff;
    this.h3 = t3 & 0xffff;
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
  }
}
