import { describe, expect, it } from 'vitest'
import { auditActor, auditDetail } from './audit'

const t = (key: string, values?: Record<string, unknown>): string =>
  values ? `${key}(${Object.entries(values).map(([k, v]) => `${k}=${String(v)}`).join(',')})` : key

describe('auditActor', () => {
  it('names people by their display name, the command line and unknown names in words', () => {
    expect(auditActor({ account_id: 3, username: 'organiser', display_name: '李组织' }, t)).toBe('李组织')
    expect(auditActor({ account_id: null, username: 'cli', display_name: '' }, t)).toBe('wording.actorCli')
    expect(auditActor({ account_id: null, username: '', display_name: '' }, t)).toBe('wording.actorNone')
  })
})

describe('auditDetail', () => {
  const entry = (action: string, entity: string, detail: string, account_id: number | null = 1) => ({ action, entity, detail, account_id })
  it('words order transitions with the states and keeps the reason', () => {
    expect(auditDetail(entry('dispatch', 'order', 'submitted → dispatched'), t))
      .toBe('wording.transition(from=orderState.submitted,to=orderState.dispatched)')
    expect(auditDetail(entry('decline', 'order', 'dispatched → submitted: 当天另有安排'), t))
      .toBe('wording.transitionReason(from=orderState.dispatched,to=orderState.submitted,reason=当天另有安排)')
  })
  it('words plans, photos and failed logins of unknown names', () => {
    expect(auditDetail(entry('plan', 'campaign', '12 orders, 5 lecturers'), t)).toBe('wording.plan(orders=12,lecturers=5)')
    expect(auditDetail(entry('upload', 'photo', 'session 42'), t)).toBe('wording.photoOf(id=42)')
    expect(auditDetail(entry('login_failed', 'account', 'nobody', null), t)).toBe('wording.triedName(name=nobody)')
  })
  it('shows what it cannot word as written', () => {
    expect(auditDetail(entry('update', 'order', 'unknown → dispatched'), t)).toBe('unknown → dispatched')
    expect(auditDetail(entry('create', 'lecturer', '王丽华'), t)).toBe('王丽华')
  })
})
