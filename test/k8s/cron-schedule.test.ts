import { cronScheduleProblem, cronScheduleTimeZoneProblem } from '../../lib/k8s/cron-schedule';
import { parseGoDuration } from '../../lib/k8s/go-duration';

// Cases from robfig/cron v3's parser_test.go (TestRange, TestField, TestParseScheduleErrors, TestStandardSpecSchedule)
// with the standard parser's bounds, plus the quirks of the parser that the API server inherits.
describe('cron schedules as robfig/cron ParseStandard reads them', () => {
  it.each([
    '5 * * * *',
    '@every 5m',
    '@midnight',
    'TZ=UTC  5 * * * *',
    'CRON_TZ=Asia/Tokyo 5 * * * *',
    'TZ=UTC  @midnight',
    '5-6/2 * * * *',
    '5-7/1 * * * *',
    '*/2 * * * *',
    '1,5-7/2,3 * * * *',
    '0 0 1 jan-dec sun-sat',
    '0 0 1 JAN MON',
    '? ? ? ? ?', // '?' is '*' in every field
    '*-5 * * * *', // the part after '*' is ignored
    '1,,2 * * * *', // empty list items are skipped (strings.FieldsFunc)
    '+5 * * * *', // strconv.Atoi accepts a sign
    '5/10 * * * *', // N/step is N-max/step
    '007 * * * *',
    '0\t3  * *\u00a0*', // Go's strings.Fields splits on Unicode spaces
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@hourly',
    '@every 1h30m',
    '@every -5m', // Every() rounds anything below a second up to one
    '@every 1.5µs',
    '@every 0',
  ])('accepts %j', (spec) => {
    expect(cronScheduleProblem(spec)).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: * * * *'],
    ['0 5 * * * *', 'expected exactly 5 fields, found 6: 0 5 * * * *'],
    ['5 j * * *', 'failed to parse int from j: strconv.Atoi: parsing "j": invalid syntax'],
    ['@every Xm', 'failed to parse duration @every Xm: time: invalid duration "Xm"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
    ['@every 5d', 'failed to parse duration @every 5d: time: unknown unit "d" in duration "5d"'],
    ['@unrecognized', 'unrecognized descriptor: @unrecognized'],
    ['@daily ', 'unrecognized descriptor: @daily '],
    ['5--5 * * * *', 'too many hyphens: 5--5'],
    ['jan-x * * * *', 'failed to parse int from jan: strconv.Atoi: parsing "jan": invalid syntax'],
    ['* * * jan-x *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['*/-12 * * * *', 'negative number (-12) not allowed: -12'],
    ['*//2 * * * *', 'too many slashes: *//2'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['99 99 99 99 99', 'end of range (99) above maximum (59): 99'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'], // day-of-week is 0-6 in robfig/cron
    ['5-3 * * * *', 'beginning of range (5) beyond end of range (3): 5-3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    [
      '99999999999999999999 * * * *',
      'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range',
    ],
    ['TZ=Mars/Base 5 * * * *', 'provided bad location Mars/Base: unknown to the IANA time zone database'],
  ])('refuses %j: %s', (spec, message) => {
    expect(cronScheduleProblem(spec)).toBe(message);
  });

  it('refuses a zone in the schedule of a new CronJob, as the API server does', () => {
    expect(cronScheduleTimeZoneProblem('TZ=UTC 0 3 * * *')).toBe(
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    expect(cronScheduleTimeZoneProblem('0 3 * * *')).toBeUndefined();
  });
});

describe("Go's time.ParseDuration", () => {
  it.each([
    ['0', 0n],
    ['5s', 5000000000n],
    ['+5s', 5000000000n],
    ['-1.5h', -5400000000000n],
    ['1h15m30.918273645s', 4530918273645n],
    ['100ms', 100000000n],
    ['1us', 1000n],
    ['1μs', 1000n],
    ['.5s', 500000000n],
    ['5.s', 5000000000n],
  ])('%s', (text, ns) => {
    expect(parseGoDuration(text)).toEqual({ nanoseconds: ns });
  });

  it.each(['', '3', '-', 's', '.s', '+.s', '1d', '9223372036854775808ns'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toHaveProperty('error');
  });
});
