// The one rule for "which campaign": every page that takes a campaign (the order form, the
// orders, sessions and dispatch filters, the dashboard) opens on the campaign running today.
import { computed, ref, type ComputedRef, type Ref } from 'vue'
import type { Campaign } from '@/api'
import { useReferenceStore } from '@/stores/reference'

/** Today's civil date in Beijing, "YYYY-MM-DD". */
export function todayInShanghai(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  return parts.slice(0, 10)
}

export function isClosed(c: Campaign): boolean {
  return Boolean(c.closed_at) || c.status === 'closed'
}

/** Open, and today lies within its period. */
export function isRunning(c: Campaign, today: string): boolean {
  return !isClosed(c) && c.start_date <= today && today <= c.end_date
}

/** Takes new orders: open and not yet ended (running or still to come). */
export function takesOrders(c: Campaign, today: string): boolean {
  return !isClosed(c) && today <= c.end_date
}

const byLatestStart = (a: Campaign, b: Campaign): number => b.start_date.localeCompare(a.start_date) || b.id - a.id

/** The campaign running today (the latest-starting if several); null when none is. */
export function currentCampaign(campaigns: readonly Campaign[], today: string): Campaign | null {
  return [...campaigns].filter((c) => isRunning(c, today)).sort(byLatestStart)[0] ?? null
}

const byLatestEnd = (a: Campaign, b: Campaign): number => b.end_date.localeCompare(a.end_date) || b.id - a.id

/**
 * A campaign a page that always shows one (the dashboard) opens on: the one running today, else
 * the one that ended last, else the last one closed (an office closes a campaign to shut it,
 * sometimes before it ran), else the first to come. null when there is none.
 */
export function defaultCampaign(campaigns: readonly Campaign[], today: string): Campaign | null {
  if (campaigns.length === 0) return null
  const running = currentCampaign(campaigns, today)
  if (running) return running
  const ended = campaigns.filter((c) => !isClosed(c) && c.end_date < today)
  if (ended.length > 0) return [...ended].sort(byLatestEnd)[0] ?? null
  const closed = campaigns.filter(isClosed)
  if (closed.length > 0) return [...closed].sort(byLatestEnd)[0] ?? null
  return [...campaigns].sort((a, b) => a.start_date.localeCompare(b.start_date) || a.id - b.id)[0] ?? null
}

/** The campaign a new order goes to: the one running today, else the next to start. */
export function orderCampaign(campaigns: readonly Campaign[], today: string): Campaign | null {
  const running = currentCampaign(campaigns, today)
  if (running) return running
  return (
    [...campaigns]
      .filter((c) => takesOrders(c, today))
      .sort((a, b) => a.start_date.localeCompare(b.start_date) || a.id - b.id)[0] ?? null
  )
}

export interface Campaigns {
  campaigns: Ref<Campaign[]>
  today: string
  /** running today, or null */
  current: ComputedRef<Campaign | null>
  /** resolves with the list once loaded (an empty list when it failed) */
  loaded: Promise<Campaign[]>
}

/** The campaigns the caller sees (cached for every page), with today's current one. */
export function useCampaigns(): Campaigns {
  const reference = useReferenceStore()
  const campaigns = ref<Campaign[]>([])
  const today = todayInShanghai()
  const loaded = reference
    .loadCampaigns()
    .then((list) => (campaigns.value = list))
    .catch(() => [] as Campaign[])
  return { campaigns, today, current: computed(() => currentCampaign(campaigns.value, today)), loaded }
}
