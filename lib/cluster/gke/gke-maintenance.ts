import type { MaintenanceWindow, Weekday } from '../contracts/cloud-contracts';

const BYDAY: Readonly<Record<Weekday, string>> = {
  Monday: 'MO',
  Tuesday: 'TU',
  Wednesday: 'WE',
  Thursday: 'TH',
  Friday: 'FR',
  Saturday: 'SA',
  Sunday: 'SU',
};

/**
 * A GKE recurring window: RFC 3339 start and end on an anchor day (only their times of day matter) and an RFC 5545
 * weekly recurrence, e.g. `FREQ=WEEKLY;BYDAY=SA,SU`.
 */
export function gkeRecurringWindow(w: MaintenanceWindow): { startTime: string; endTime: string; recurrence: string } {
  const start = Date.UTC(2025, 0, 4, w.startHour); // a Saturday; GKE reads the times of day
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  return {
    startTime: iso(start),
    endTime: iso(start + w.durationHours * 3_600_000),
    recurrence: `FREQ=WEEKLY;BYDAY=${w.days.map((d) => BYDAY[d]).join(',')}`,
  };
}
