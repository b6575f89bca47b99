// The application's one API client, speaking the UI language.
import { ApiClient, type ApiError } from './client'
import { currentLocale } from '@/i18n'

let expiredHandler: ((error: ApiError) => void) | null = null

export const api = new ApiClient({
  language: currentLocale,
  onUnauthenticated: (error) => expiredHandler?.(error),
})

/** Registers what happens when a call finds the session gone (the router sends the user to login). */
export function onSessionExpired(handler: (error: ApiError) => void): void {
  expiredHandler = handler
}

export * from './client'
