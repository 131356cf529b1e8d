/** Numbers as a person reads them in messages, summaries and stats: counts and byte sizes. */

/** `1 post`, `2 posts`, `2,041 files`. */
export function count(n: number, noun: string): string {
  return `${digits(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `1234567` → `1,234,567`, the same on every machine whatever its locale (not `toLocaleString`,
 * whose first call loads ICU data: 70 ms); `1e+21` stays as it is.
 */
export function digits(n: number): string {
  const [whole = '', fraction] = String(n).split('.');
  let grouped = whole;
  if (/^\d+$/.test(whole)) {
    grouped = whole.slice(0, ((whole.length - 1) % 3) + 1);
    for (let i = grouped.length; i < whole.length; i += 3) grouped += `,${whole.slice(i, i + 3)}`;
  }
  return grouped + (fraction === undefined ? '' : `.${fraction}`);
}

/** A limit in bytes: `64 MiB` when it is whole mebibytes, else `1000 bytes`. */
export function byteSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}
