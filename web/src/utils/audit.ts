// Words the audit log (操作日志) in the user's language: who acted (their display name, not
// their login name) and what the entry's detail says. The server keeps its detail as it wrote
// it (state codes, counts in English, the command line as "cli"); the page shows it worded.

import type { AuditEntry } from '@/api'
import { ORDER_STATES } from '@/api'

export type Translate = (key: string, values?: Record<string, unknown>) => string

// Every action and object the server writes to the log (src/service, src/cli): the filter
// offers each of them, and the browser suite fails on a page that shows one as a code.
export const AUDIT_ACTIONS = [
  'create', 'update', 'delete', 'login', 'login_failed', 'login_failed_capped', 'logout',
  'set_password', 'token_create', 'token_revoke', 'create_link', 'renew_link', 'upload',
  'set_photo', 'delete_photo', 'quote', 'unquote', 'dispatch', 'accept', 'decline', 'deliver',
  'rate', 'cancel', 'plan', 'init', 'seed_demo',
  // 送温暖 (issue 16)
  'open', 'close', 'allocate', 'take_back', 'disburse', 'subsidise', 'reveal',
] as const
export const AUDIT_ENTITIES = [
  'account', 'api_token', 'calendar', 'campaign', 'dictionary_entry', 'feedback', 'lecturer',
  'order', 'organisation', 'photo', 'session',
  'care_programme', 'care_allocation', 'care_disbursement', 'care_beneficiary', 'care_photo',
] as const

/** The name to show for whoever acted. */
export function auditActor(e: Pick<AuditEntry, 'account_id' | 'username' | 'display_name'>, t: Translate): string {
  if (e.display_name) return e.display_name
  if (e.account_id === null && e.username === 'cli') return t('wording.actorCli')
  if (e.account_id === null && e.username === '') return t('wording.actorNone')
  return e.username
}

function isState(code: string): boolean {
  return (ORDER_STATES as readonly string[]).includes(code)
}

/** The entry's detail in words; what it cannot word it shows as written. */
export function auditDetail(e: Pick<AuditEntry, 'action' | 'entity' | 'account_id' | 'detail'>, t: Translate): string {
  const d = e.detail
  if (!d) return ''
  if (e.entity === 'order') {
    const m = /^([a-z]+) → ([a-z]+)(?:: ([\s\S]*))?$/.exec(d)
    const [, fromCode = '', toCode = ''] = m ?? []
    if (m && isState(fromCode) && isState(toCode)) {
      const from = t(`orderState.${fromCode}`)
      const to = t(`orderState.${toCode}`)
      return m[3] ? t('wording.transitionReason', { from, to, reason: m[3] }) : t('wording.transition', { from, to })
    }
  }
  if (e.action === 'plan') {
    const m = /^(\d+) orders, (\d+) lecturers$/.exec(d)
    if (m) return t('wording.plan', { orders: m[1], lecturers: m[2] })
  }
  if (e.entity === 'photo') {
    const m = /^session (\d+)$/.exec(d)
    if (m) return t('wording.photoOf', { id: m[1] })
  }
  if (e.action === 'login_failed' && e.account_id === null) return t('wording.triedName', { name: d })
  return d
}
