import { describe, expect, it } from 'vitest'
import type { Permission } from '@/api'
import { applyItems, datesBetween, orderActions, planRows, stateTab } from './orders'

const requester = { lecturer_id: null, permissions: ['orders.read', 'orders.write'] as Permission[] }
const organiser = { lecturer_id: null, permissions: ['orders.read', 'orders.write', 'orders.dispatch'] as Permission[] }
const lecturer = { lecturer_id: 7, permissions: ['orders.read'] as Permission[] }

describe('orderActions', () => {
  it('offers dispatch to organisers and cancel to writers on a submitted order', () => {
    expect(orderActions({ state: 'submitted', lecturer_id: null }, organiser)).toEqual(['dispatch', 'cancel'])
    expect(orderActions({ state: 'submitted', lecturer_id: null }, requester)).toEqual(['cancel'])
    expect(orderActions({ state: 'submitted', lecturer_id: null }, lecturer)).toEqual([])
  })
  it('lets only the dispatched lecturer (or an organiser) accept and decline', () => {
    expect(orderActions({ state: 'dispatched', lecturer_id: 7 }, lecturer)).toEqual(['accept', 'decline'])
    expect(orderActions({ state: 'dispatched', lecturer_id: 8 }, lecturer)).toEqual([])
    expect(orderActions({ state: 'dispatched', lecturer_id: 8 }, organiser)).toContain('accept')
  })
  it('records delivery for the lecturer and rating for the ordering union', () => {
    expect(orderActions({ state: 'accepted', lecturer_id: 7 }, lecturer)).toEqual(['deliver'])
    expect(orderActions({ state: 'delivered', lecturer_id: 7 }, requester)).toEqual(['rate'])
    expect(orderActions({ state: 'delivered', lecturer_id: 7 }, lecturer)).toEqual([])
  })
  it('offers nothing once rated or cancelled', () => {
    expect(orderActions({ state: 'rated', lecturer_id: 7 }, organiser)).toEqual([])
    expect(orderActions({ state: 'cancelled', lecturer_id: null }, organiser)).toEqual([])
  })
})

describe('planRows', () => {
  it('joins assignments with their visit times and reasons, and drops ids that are not numbers', () => {
    const rows = planRows({
      assignments: [
        { order: '12', priority: 5, lecturer: '3', date: '2026-05-04', sequence: 1 },
        { order: 'x', lecturer: '3', date: '2026-05-04' },
      ],
      routes: [{ lecturer: '3', date: '2026-05-04', visits: [{ order: '12', start: '09:00', end: '10:30', reason: { qualifies: 'topic', rank: 1 } }] }],
    })
    expect(rows).toEqual([
      { order_id: 12, lecturer_id: 3, date: '2026-05-04', start_time: '09:00', end_time: '10:30', sequence: 1, priority: 5, reason: 'qualifies: topic, rank: 1', why: { qualifies: 'topic', rank: 1 }, fixed: false },
    ])
    expect(applyItems(rows)).toEqual([{ order_id: 12, lecturer_id: 3, date: '2026-05-04', start_time: '09:00', end_time: '10:30' }])
  })
  it('prefers the sentence the optimiser wrote', () => {
    const rows = planRows({
      assignments: [{ order: '1', lecturer: '37', date: '2022-11-07' }],
      routes: [{ visits: [{ order: '1', start: '10:19', end: '12:19', reason: { why: 'qualifies by topic', home_distance_rank: 1 } }] }],
    })
    expect(rows[0]?.reason).toBe('qualifies by topic')
  })
  it('answers no rows for a missing plan', () => {
    expect(planRows(null)).toEqual([])
    expect(planRows({})).toEqual([])
  })
})

describe('datesBetween', () => {
  it('lists every day of a window, across a month end', () => {
    expect(datesBetween('2026-04-29', '2026-05-02')).toEqual(['2026-04-29', '2026-04-30', '2026-05-01', '2026-05-02'])
    expect(datesBetween('2026-05-02', '2026-05-01')).toEqual([])
    expect(datesBetween('bad', '2026-05-01')).toEqual([])
  })
})

describe('stateTab', () => {
  it('keeps a known state and drops anything else', () => {
    expect(stateTab('accepted', ['submitted', 'accepted'])).toBe('accepted')
    expect(stateTab('submitted,accepted', ['submitted', 'accepted'])).toBe('')
  })
})
