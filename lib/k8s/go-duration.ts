/**
 * Go's time.ParseDuration ("300ms", "-1.5h", "2h45m"), as the CronJob schedule's `@every <duration>` reads it:
 * an optional sign, then one or more decimal numbers each with a unit (ns, us, µs, μs, ms, s, m, h); "0" alone
 * needs no unit. Returns the duration in nanoseconds, or an error text worded like Go's.
 */
const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n, // U+00B5 micro sign
  μs: 1000n, // U+03BC Greek mu
  ms: 1000000n,
  s: 1000000000n,
  m: 60n * 1000000000n,
  h: 3600n * 1000000000n,
};
const MAX_DURATION = 2n ** 63n - 1n;

export function parseGoDuration(text: string): { nanoseconds: bigint } | { error: string } {
  const invalid = { error: `time: invalid duration ${JSON.stringify(text)}` };
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { nanoseconds: 0n };
  if (s === '') return invalid;
  let total = 0n;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s) as RegExpExecArray;
    const whole = number[1];
    const fraction = number[2] ?? '';
    if (whole === '' && fraction === '') return invalid;
    s = s.slice(number[0].length);
    const unitMatch = /^[^0-9.]*/.exec(s) as RegExpExecArray;
    const unit = unitMatch[0];
    if (unit === '') return { error: `time: missing unit in duration ${JSON.stringify(text)}` };
    const scale = UNITS[unit];
    if (scale === undefined) {
      return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}` };
    }
    s = s.slice(unit.length);
    let value = BigInt(whole === '' ? '0' : whole) * scale;
    if (fraction !== '') value += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    total += value;
    if (total > MAX_DURATION + (negative ? 1n : 0n)) return invalid;
  }
  return { nanoseconds: negative ? -total : total };
}
