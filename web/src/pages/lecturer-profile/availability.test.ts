import { describe, expect, it } from 'vitest'
import type { AgendaItem } from '@/api'
import { byDate, markUnavailable, monthView, normalise, removeDays, unavailableOn } from './availability'

const r = (from: string, to: string, reason = '') => ({ from, to, reason })

describe('unavailable periods', () => {
  const periods = [r('2022-12-01', '2022-12-05', '外出学习')]
  it('finds the period holding a day, ends included', () => {
    expect(unavailableOn(periods, '2022-12-01')?.reason).toBe('外出学习')
    expect(unavailableOn(periods, '2022-12-05')).not.toBeNull()
    expect(unavailableOn(periods, '2022-12-06')).toBeNull()
  })
  it('cuts a period in two when a day in the middle is freed', () => {
    expect(removeDays(periods, '2022-12-03', '2022-12-03')).toEqual([
      r('2022-12-01', '2022-12-02', '外出学习'),
      r('2022-12-04', '2022-12-05', '外出学习'),
    ])
  })
  it('frees a whole period, and shortens one freed at an end, across a month end too', () => {
    expect(removeDays(periods, '2022-11-20', '2022-12-31')).toEqual([])
    expect(removeDays([r('2022-11-29', '2022-12-02')], '2022-12-01', '2022-12-09')).toEqual([r('2022-11-29', '2022-11-30')])
  })
  it('merges a new day touching a period with the same reason', () => {
    expect(markUnavailable(periods, '2022-12-06', '2022-12-06', ' 外出学习 ')).toEqual([r('2022-12-01', '2022-12-06', '外出学习')])
  })
  it('lets a new reason replace the days it covers, keeping the rest', () => {
    expect(markUnavailable(periods, '2022-12-04', '2022-12-08', '休假')).toEqual([
      r('2022-12-01', '2022-12-03', '外出学习'),
      r('2022-12-04', '2022-12-08', '休假'),
    ])
  })
  it('accepts a range given backwards, and sorts', () => {
    expect(markUnavailable(periods, '2022-11-10', '2022-11-08', '')).toEqual([r('2022-11-08', '2022-11-10'), ...periods])
  })
  it('normalises overlapping periods of one reason into one', () => {
    expect(normalise([r('2022-12-03', '2022-12-09', 'a'), r('2022-12-01', '2022-12-04', 'a')])).toEqual([r('2022-12-01', '2022-12-09', 'a')])
  })
})

describe('the calendar view', () => {
  it('covers any six-week view of the month', () => {
    expect(monthView('2022-12-15')).toEqual({ from: '2022-11-25', to: '2023-01-11' })
  })
  it('groups the agenda by date', () => {
    const item = (id: number, date: string): AgendaItem => ({
      kind: 'session',
      id,
      date,
      start_time: null,
      end_time: null,
      title: '',
      place: '',
      region_name: '',
      organisation: '',
      state: 'delivered',
      elsewhere: false,
    })
    const m = byDate([item(1, '2022-12-09'), item(2, '2022-12-09'), item(3, '2022-12-12')])
    expect(m.get('2022-12-09')?.map((i) => i.id)).toEqual([1, 2])
    expect(m.get('2022-12-12')?.length).toBe(1)
  })
})
