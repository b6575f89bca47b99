import type { ProgrammeState } from '@/api'

/** The tag colour of a programme's state. */
export function stateTag(state: ProgrammeState): 'info' | 'success' | 'warning' {
  return state === 'open' ? 'success' : state === 'draft' ? 'warning' : 'info'
}
