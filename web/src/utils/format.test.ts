import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatNumber, formatTimeRange, formatWeekday, regionPath, regionWithin } from './format'

describe('formatDate', () => {
  it('writes civil dates the Chinese way', () => {
    expect(formatDate('2022-11-15', 'zh-CN')).toBe('2022年11月15日')
    expect(formatDate('2023-01-01', 'zh-CN')).toBe('2023年1月1日')
  })
  it('writes civil dates in English', () => {
    expect(formatDate('2022-11-15', 'en')).toBe('15 Nov 2022')
  })
  it('never moves a civil date by a time zone', () => {
    // 2022-12-31 would become 2022-12-30 in a zone west of UTC if parsed as local midnight.
    expect(formatDate('2022-12-31', 'zh-CN')).toBe('2022年12月31日')
  })
  it('returns what is not a civil date unchanged', () => {
    expect(formatDate('', 'zh-CN')).toBe('')
    expect(formatDate('15/11/2022', 'zh-CN')).toBe('15/11/2022')
  })
})

describe('formatWeekday', () => {
  it('names the weekday', () => {
    expect(formatWeekday('2022-11-15', 'zh-CN')).toBe('周二')
    expect(formatWeekday('2022-11-15', 'en')).toBe('Tue')
    expect(formatWeekday('nope', 'en')).toBe('')
  })
})

describe('formatDateTime', () => {
  it('shows instants in Beijing time', () => {
    expect(formatDateTime('2022-11-14T16:30:00Z', 'zh-CN')).toBe('2022/11/15 00:30')
    expect(formatDateTime('2026-01-02T03:04:05Z', 'en')).toBe('2026/01/02 11:04')
  })
  it('returns an unreadable instant unchanged', () => {
    expect(formatDateTime('soon', 'zh-CN')).toBe('soon')
  })
})

describe('formatTimeRange', () => {
  it('joins start and end', () => {
    expect(formatTimeRange('09:30', '11:00')).toBe('09:30–11:00')
    expect(formatTimeRange('09:30', '')).toBe('09:30')
    expect(formatTimeRange('', '')).toBe('')
  })
})

describe('formatNumber', () => {
  it('groups thousands', () => {
    expect(formatNumber(12345, 'zh-CN')).toBe('12,345')
    expect(formatNumber(1234567, 'en')).toBe('1,234,567')
    expect(formatNumber(0, 'zh-CN')).toBe('0')
  })
})

describe('regionWithin', () => {
  it('matches a county within its city and province', () => {
    expect(regionWithin('150202', '150200')).toBe(true)
    expect(regionWithin('150202', '150000')).toBe(true)
    expect(regionWithin('150202', '150202')).toBe(true)
  })
  it('does not match a neighbour', () => {
    expect(regionWithin('150102', '150200')).toBe(false)
    expect(regionWithin('150200', '150202')).toBe(false)
  })
})

describe('regionPath', () => {
  it('walks from the province down to the code', () => {
    expect(regionPath('150202')).toEqual(['150000', '150200', '150202'])
    expect(regionPath('150200')).toEqual(['150000', '150200'])
    expect(regionPath('150000')).toEqual(['150000'])
    expect(regionPath('')).toEqual([])
    expect(regionPath('15')).toEqual([])
  })
})
