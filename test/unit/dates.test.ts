import { describe, expect, it } from 'vitest';
import { dayRange, periodOf, periodsBetween, utcDay } from '../../server/db/dates';

// The periods the reports bucket by, as the database computes them (server/db/dates.ts): UTC days, ISO
// weeks from Monday, months from their first day.
describe('periods of the dashboard and the sales analysis', () => {
  it('a day belongs to its week from Monday and its month from the first', () => {
    expect(periodOf('2026-12-06', 'day')).toBe('2026-12-06');
    expect(periodOf('2026-12-06', 'week')).toBe('2026-11-30'); // a Sunday: the Monday before
    expect(periodOf('2026-11-30', 'week')).toBe('2026-11-30'); // a Monday: itself
    expect(periodOf('2027-01-01', 'week')).toBe('2026-12-28'); // across a year
    expect(periodOf('2026-12-06', 'month')).toBe('2026-12-01');
  });

  it('lists every period of a range once, in order, the first and last included', () => {
    expect(periodsBetween('2026-11-29', '2026-12-02', 'day')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(periodsBetween('2026-11-29', '2026-12-14', 'week')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14']);
    expect(periodsBetween('2026-10-31', '2027-01-01', 'month')).toEqual(['2026-10-01', '2026-11-01', '2026-12-01', '2027-01-01']);
    expect(periodsBetween('2024-02-28', '2024-03-01', 'day')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('a range of days is the half-open range of instants from the first midnight to the midnight after the last (UTC)', () => {
    expect(dayRange('2026-12-01', '2026-12-06')).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2026-12-07T00:00:00Z') });
    expect(utcDay(-1, Date.parse('2026-03-01T23:59:59Z'))).toBe('2026-02-28');
  });
});
