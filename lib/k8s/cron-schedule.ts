import { parseGoDuration } from './go-duration';
import { timeZoneProblem } from './time-zone';

/**
 * CronJob schedules read as the CronJob controller and the API server read them: robfig/cron v3's standard parser
 * (`cron.ParseStandard`): five fields (minute hour day-of-month month day-of-week) or a descriptor (`@yearly`,
 * `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`, `@every <Go duration>`), with an optional
 * `TZ=`/`CRON_TZ=` prefix. Errors are worded like the parser's. Quirks kept on purpose, because they are what
 * Kubernetes accepts: `?` means `*` in every field, `*-5` is `*`, empty list items (`1,,2`) are skipped, a sign
 * (`+5`) is allowed, `N/step` means `N-max/step`, and day-of-week is 0-6 (7 is refused).
 * @see https://pkg.go.dev/github.com/robfig/cron/v3#ParseStandard
 */
interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOW_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DOW_NAMES.map((n, i) => [n, i])) },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
/** Go's strings.Fields separators (unicode.IsSpace). */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const INT64_MAX = 2n ** 63n - 1n;

class CronError extends Error {}

/** strconv.Atoi, then refuse negatives (robfig's mustParseInt). */
function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr))
    throw new CronError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`,
    );
  const n = BigInt(expr);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) {
    throw new CronError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: value out of range`,
    );
  }
  if (n < 0n) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  // Beyond any field's maximum either way: keep it a finite number for the range checks.
  return n > 1000000n ? 1000001 : Number(n);
}

function parseIntOrName(expr: string, names: Bounds['names']): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : mustParseInt(expr);
}

function checkRange(expr: string, r: Bounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (singleDigit) end = r.max;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
}

function checkSchedule(spec: string): void {
  if (spec.length === 0) throw new CronError('empty spec string');
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const eq = rest.indexOf('=');
    // Go slices spec[eq+1:-1] when there is no space: a runtime panic the API server turns into an error.
    if (space < 0) throw new CronError(`provided bad location ${rest.slice(eq + 1)}: no schedule after it`);
    const zone = rest.slice(eq + 1, space);
    const problem = zone === 'UTC' || zone === '' ? undefined : timeZoneProblem(zone);
    if (problem !== undefined) throw new CronError(`provided bad location ${zone}: ${problem}`);
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@')) {
    if (DESCRIPTORS.includes(rest)) return;
    if (rest.startsWith('@every ')) {
      const d = parseGoDuration(rest.slice('@every '.length));
      if ('error' in d) throw new CronError(`failed to parse duration ${rest}: ${d.error}`);
      return;
    }
    throw new CronError(`unrecognized descriptor: ${rest}`);
  }
  const fields = rest.split(SPACE).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: ${rest}`);
  fields.forEach((field, i) => {
    for (const expr of field.split(',').filter((e) => e !== '')) checkRange(expr, FIELDS[i]);
  });
}

/** The parser's error for `schedule`, or undefined when the CronJob controller accepts it. */
export function cronScheduleProblem(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string') return 'not a string';
  try {
    checkSchedule(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

/**
 * The API server's own rule on top of the parser, for a new CronJob: the schedule may not name a zone (`TZ=`,
 * `CRON_TZ=`; the server refuses any "TZ" in it); the `timeZone` field does that.
 */
export function cronScheduleTimeZoneProblem(schedule: string): string | undefined {
  return schedule.includes('TZ') ? 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' : undefined;
}
