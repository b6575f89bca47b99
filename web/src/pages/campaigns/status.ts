import type { Campaign, CampaignStatus } from '@/api'
import { isClosed, todayInShanghai } from '@/composables/useCampaigns'

/** The server's status, or the same rule on the client's today when an answer lacks it. */
export function statusOf(c: Campaign, today: string = todayInShanghai()): CampaignStatus {
  if (c.status) return c.status
  if (isClosed(c)) return 'closed'
  if (today < c.start_date) return 'upcoming'
  if (c.end_date < today) return 'ended'
  return 'current'
}

export const statusTagType: Record<CampaignStatus, 'success' | 'primary' | 'info' | 'warning'> = {
  current: 'success',
  upcoming: 'primary',
  ended: 'info',
  closed: 'warning',
}
