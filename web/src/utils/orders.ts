// The order workflow as the UI sees it: which actions a role may offer in a state, and how the
// optimiser's plan becomes rows to tick. The server decides every transition; these only choose
// which buttons to show (src/domain/order.* holds the rules they mirror).
import type { Me, Order, OrderState, Plan, PlanApplyItem } from '@/api'

export type OrderUiAction = 'dispatch' | 'accept' | 'decline' | 'deliver' | 'rate' | 'cancel'

/** Element Plus tag colour of each state. */
export const STATE_TAG: Record<OrderState, 'info' | 'warning' | 'primary' | 'success' | 'danger'> = {
  submitted: 'warning',
  dispatched: 'primary',
  accepted: 'primary',
  delivered: 'success',
  rated: 'success',
  cancelled: 'info',
}

type Who = Pick<Me, 'lecturer_id' | 'permissions'>

/** The actions `who` may take on `order` now, in the order the buttons stand. */
export function orderActions(order: Pick<Order, 'state' | 'lecturer_id'>, who: Who): OrderUiAction[] {
  const can = (p: string): boolean => (who.permissions as string[]).includes(p)
  const organiser = can('orders.dispatch')
  const writer = can('orders.write')
  const ownLecture = who.lecturer_id !== null && who.lecturer_id === order.lecturer_id
  const out: OrderUiAction[] = []
  switch (order.state) {
    case 'submitted':
      if (organiser) out.push('dispatch')
      if (writer) out.push('cancel')
      break
    case 'dispatched':
      if (ownLecture || organiser) out.push('accept', 'decline')
      if (organiser) out.push('dispatch')
      if (writer) out.push('cancel')
      break
    case 'accepted':
      if (ownLecture || organiser) out.push('deliver')
      if (writer) out.push('cancel')
      break
    case 'delivered':
      if (writer && !ownLecture) out.push('rate')
      break
    default:
      break
  }
  return out
}

/** One proposed assignment of a plan, with what the optimiser said about it. */
export interface PlanRow {
  order_id: number
  lecturer_id: number
  date: string
  start_time: string | null
  end_time: string | null
  sequence: number
  /** The order's priority (1 low … 5 urgent), when the plan gives it. */
  priority: number | null
  reason: string
  /** The reason as the plan gives it (data beside the English sentence), for planReasons.ts. */
  why: unknown
  fixed: boolean
}

function text(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join('; ')
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${text(v)}`)
      .join(', ')
  }
  return ''
}

function hhmm(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const m = /(\d{2}:\d{2})/.exec(value)
  return m?.[1] ?? null
}

/**
 * The plan's flat assignments, joined with the visit of each in the routes (times and reason).
 * Ids in a plan are strings; rows whose ids are not numbers are left out.
 */
export function planRows(plan: Plan | null | undefined): PlanRow[] {
  if (!plan) return []
  const visits = new Map<string, { start: string | null; end: string | null; reason: string; why: unknown; fixed: boolean }>()
  for (const route of plan.routes ?? []) {
    for (const v of route.visits ?? []) {
      const id = String(v.order ?? v.client ?? '')
      if (!id) continue
      // The optimiser's `why` says it in a sentence; the numbers beside it are for the curious.
      const why = (v.reason as { why?: unknown } | undefined)?.why
      visits.set(id, {
        start: hhmm(v.start),
        end: hhmm(v.end),
        reason: typeof why === 'string' ? why : text(v.reason),
        why: v.reason,
        fixed: v.fixed === true,
      })
    }
  }
  const rows: PlanRow[] = []
  for (const a of plan.assignments ?? []) {
    const orderId = Number(a.order)
    const lecturerId = Number(a.lecturer)
    if (!Number.isInteger(orderId) || !Number.isInteger(lecturerId)) continue
    const visit = visits.get(String(a.order))
    rows.push({
      order_id: orderId,
      lecturer_id: lecturerId,
      date: a.date,
      start_time: visit?.start ?? null,
      end_time: visit?.end ?? null,
      sequence: a.sequence ?? 0,
      priority: typeof a.priority === 'number' ? a.priority : null,
      reason: visit?.reason ?? '',
      why: visit?.why,
      fixed: visit?.fixed ?? false,
    })
  }
  return rows
}

/** What apply sends for the chosen rows. */
export function applyItems(rows: readonly PlanRow[]): PlanApplyItem[] {
  return rows.map((r) => ({
    order_id: r.order_id,
    lecturer_id: r.lecturer_id,
    date: r.date,
    start_time: r.start_time,
    end_time: r.end_time,
  }))
}

/** Every civil date from `from` to `to`, both included ([] when to < from; at most 366). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = []
  const start = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end)) return out
  for (let t = start; t <= end && out.length < 366; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10))
  }
  return out
}

/** The first state of "a,b" in the address bar that is a state, for the tabs ("" for all). */
export function stateTab(value: string, states: readonly OrderState[]): string {
  return (states as readonly string[]).includes(value) ? value : ''
}
