/**
 * IANA time zone names as the API server checks a CronJob's `timeZone` (batch validation validateTimeZone): not
 * empty, not `Local`, each '/'-separated part of 1 to 14 characters from [A-Za-z.\-_0-9+], and known to the time
 * zone database (Node's ICU data stands in for Go's tzdata).
 */
const PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** Why `zone` is not a time zone the API server accepts, or undefined. */
export function timeZoneProblem(zone: unknown): string | undefined {
  if (typeof zone !== 'string') return 'not a string';
  if (zone.length === 0) return 'empty';
  if (zone.toLowerCase() === 'local') return "'Local' is the node's zone, not an explicit one";
  if (!zone.split('/').every((part) => PART.test(part))) return 'not an IANA time zone name';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return 'unknown to the IANA time zone database';
  }
  return undefined;
}
