// Who is signed in, and what they may do. The server decides; this store only remembers its answer.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, api, type Me, type Permission } from '@/api'

// Whether this browser was signed in when last seen. The session cookie is HttpOnly, so the page
// cannot look at it; the hint spares a first-time visitor a /auth/me call that can only fail.
const HINT_KEY = 'xj.signedIn'

function readHint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1'
  } catch {
    return true
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(HINT_KEY, '1')
    else localStorage.removeItem(HINT_KEY)
  } catch {
    // Without storage the next visit simply asks /auth/me.
  }
}

export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null)
  let loading: Promise<void> | null = null

  const signedIn = computed(() => me.value !== null)

  /** Asks the server once per page load who is signed in. Never throws. */
  function ensureLoaded(): Promise<void> {
    if (!loading) {
      loading = (async () => {
        if (!readHint()) return
        try {
          me.value = await api.me()
        } catch (e) {
          // 401: the session is gone. Anything else (server down): the login page will say so.
          if (e instanceof ApiError && e.status === 401) writeHint(false)
          me.value = null
        }
      })()
    }
    return loading
  }

  async function login(username: string, password: string): Promise<void> {
    const result = await api.login(username, password)
    me.value = result.account
    writeHint(true)
  }

  async function logout(): Promise<void> {
    try {
      await api.logout()
    } finally {
      forget()
    }
  }

  /** Drops the account without asking the server (it already said the session is gone). */
  function forget(): void {
    me.value = null
    writeHint(false)
  }

  function can(permission: Permission): boolean {
    return me.value?.permissions.includes(permission) ?? false
  }

  return { me, signedIn, ensureLoaded, login, logout, forget, can }
})
