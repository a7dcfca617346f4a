import { expect } from 'chai';
import { isCalendarDate, latestDateOnEarth } from '../../src/content/dates.js';

describe('review dates', () => {
  it('accepts real days, including 29 February in a leap year, and rejects impossible ones', () => {
    expect(isCalendarDate('2026-11-26')).to.equal(true);
    expect(isCalendarDate('2028-02-29')).to.equal(true);
    expect(isCalendarDate('2026-02-29')).to.equal(false);
    expect(isCalendarDate('2026-02-30')).to.equal(false);
    expect(isCalendarDate('2026-13-01')).to.equal(false);
    expect(isCalendarDate('2026-1-5')).to.equal(false);
  });

  it('counts a date as "not in the future" while it is already that day somewhere on Earth', () => {
    // 03:00 UTC on 26 November: it is still the 25th in California, but already the 26th in Kiribati.
    expect(latestDateOnEarth(new Date('2026-11-26T03:00:00Z'))).to.equal('2026-11-26');
    expect(latestDateOnEarth(new Date('2026-11-26T10:00:00Z'))).to.equal('2026-11-27');
  });
});
