// The public feedback form's view of failures: each answer of the API becomes one state the page
// explains in the visitor's language, and this browser remembers what it has done for a link.
import { ApiError } from '@/api'

export type FeedbackAction = 'load' | 'answer' | 'signIn'

export type FeedbackProblem =
  /** 404: no such link (mistyped, or replaced by a new one) */
  | 'notFound'
  /** 410: answers are no longer taken */
  | 'closed'
  /** 409 on answering: this browser has answered already */
  | 'answered'
  /** 409 on signing in: this browser has signed in already */
  | 'signedIn'
  /** 429: too many answers from this address */
  | 'tooMany'
  /** 422: field errors, shown on the fields */
  | 'invalid'
  /** no answer at all */
  | 'network'
  /** anything else: the server's own message */
  | 'failed'

export function feedbackProblem(error: unknown, action: FeedbackAction): FeedbackProblem {
  if (!(error instanceof ApiError)) return 'failed'
  switch (error.status) {
    case 0:
      return 'network'
    case 404:
      return 'notFound'
    case 410:
      return 'closed'
    case 409:
      return action === 'signIn' ? 'signedIn' : action === 'answer' ? 'answered' : 'failed'
    case 429:
      return 'tooMany'
    case 400:
    case 422:
      return action === 'answer' ? 'invalid' : 'failed'
    default:
      return 'failed'
  }
}

/** Problems after which the whole page shows one message instead of the form. */
export function endsThePage(problem: FeedbackProblem): boolean {
  return problem === 'notFound' || problem === 'closed'
}

export interface DoneHere {
  answered: boolean
  signedIn: boolean
}

const STORAGE_PREFIX = 'xj.feedback.'

/** The key for a link: a prefix of its token is enough and keeps the token itself out of storage. */
function storageKey(token: string): string {
  return STORAGE_PREFIX + token.slice(0, 16)
}

/** What this browser did for the link, as remembered (the server's cookie is the real guard). */
export function doneHere(token: string, storage: Pick<Storage, 'getItem'> | null = safeStorage()): DoneHere {
  try {
    const raw = storage?.getItem(storageKey(token))
    const parsed: unknown = raw ? JSON.parse(raw) : null
    if (typeof parsed === 'object' && parsed !== null) {
      const p = parsed as Partial<DoneHere>
      return { answered: p.answered === true, signedIn: p.signedIn === true }
    }
  } catch {
    // Unreadable: as if nothing was done; the server will say 409 if it was.
  }
  return { answered: false, signedIn: false }
}

export function rememberDone(
  token: string,
  what: keyof DoneHere,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeStorage(),
): DoneHere {
  const next = { ...doneHere(token, storage), [what]: true }
  try {
    storage?.setItem(storageKey(token), JSON.stringify(next))
  } catch {
    // Storage full or disabled: the page still shows the state until it is reloaded.
  }
  return next
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}
