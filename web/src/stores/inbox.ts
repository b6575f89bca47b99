// The signed-in account's notifications: the unread count the header shows, kept fresh by the
// layout (on entry, every minute, and after any order action) and by the inbox drawer.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api'

export const useInboxStore = defineStore('inbox', () => {
  const unread = ref(0)

  /** Asks for the count only; a failure keeps the last count (the badge is a hint). */
  async function refresh(): Promise<void> {
    try {
      const page = await api.inbox({ page: 1, page_size: 1 })
      unread.value = page.unread
    } catch {
      // The next refresh tries again.
    }
  }

  function set(count: number): void {
    unread.value = count
  }

  return { unread, refresh, set }
})
