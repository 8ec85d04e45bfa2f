import { describe, expect, it } from 'vitest';
import { parseDate, parseDateline, titleCasePlace } from './dateline.ts';

describe('parseDateline', () => {
  it.each([
    ['VIENNA, 11 September 2007 - The OSCE plays', 'Vienna', '2007-09-11', 'The OSCE plays'],
    ['THE HAGUE, 3 March 2010 – The High Commissioner', 'The Hague', '2010-03-03', 'The High Commissioner'],
    ['WARSAW, September 11, 2007 — ODIHR', 'Warsaw', '2007-09-11', 'ODIHR'],
    ['SKOPJE, 11.09.2007 - The Mission', 'Skopje', '2007-09-11', 'The Mission'],
    ['BISHKEK, 2007-09-11 - Text', 'Bishkek', '2007-09-11', 'Text'],
    ['WIEN, 11. September 2007 - Die OSZE', 'Wien', '2007-09-11', 'Die OSZE'],
    ['VIENNE, 1 février 2008 - L’OSCE', 'Vienne', '2008-02-01', 'L’OSCE'],
    ['VIENNA, 11 settembre 2007 - L’OSCE', 'Vienna', '2007-09-11', 'L’OSCE'],
    ['VIENA, 11 de septiembre de 2007 - La OSCE', 'Viena', '2007-09-11', 'La OSCE'],
    ['ВЕНА, 11 сентября 2007 г. - ОБСЕ', 'Вена', '2007-09-11', 'ОБСЕ'],
    ['VIENNA, 11 Sept. 2007 - Short month', 'Vienna', '2007-09-11', 'Short month'],
  ])('reads %s', (text, place, date, rest) => {
    expect(parseDateline(text)).toEqual({ place, date, rest });
  });

  it.each([
    ['ordinary prose that has a comma', 'Vienna, the capital, hosted the meeting on 11 September 2007 - said'],
    ['a date that does not exist', 'VIENNA, 31 February 2007 - Text'],
    ['a dateline without the dash', 'VIENNA, 11 September 2007 The OSCE'],
    ['an unknown month', 'VIENNA, 11 Smarch 2007 - Text'],
    ['an empty paragraph', ''],
  ])('returns null for %s', (_, text) => {
    expect(parseDateline(text)).toBeNull();
  });
});

describe('parseDate', () => {
  it('reads a date alone in several notations', () => {
    expect(parseDate('11 September 2007')).toBe('2007-09-11');
    expect(parseDate(' 1 mars 2010 ')).toBe('2010-03-01');
    expect(parseDate('2026-01-01')).toBe('2026-01-01');
    expect(parseDate('29.02.2008')).toBe('2008-02-29');
  });

  it('rejects trailing text and impossible dates', () => {
    expect(parseDate('11 September 2007 and more')).toBeNull();
    expect(parseDate('29.02.2007')).toBeNull();
    expect(parseDate('')).toBeNull();
  });
});

describe('titleCasePlace', () => {
  it('capitalises every word of a place written in capitals', () => {
    expect(titleCasePlace('VIENNA')).toBe('Vienna');
    expect(titleCasePlace('THE HAGUE')).toBe('The Hague');
    expect(titleCasePlace('SKOPJE/PRISTINA')).toBe('Skopje/Pristina');
  });
});
