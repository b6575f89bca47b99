// A failed save, split for a form: the messages the server gave for fields the form shows go next
// to those fields; everything else is one message above the form.
import { ApiError } from '@/api'

export interface SplitErrors {
  /** form field → the server's first message for it */
  fields: Record<string, string>
  /** what belongs to no field shown ("" when nothing) */
  general: string
}

/**
 * The form field a server field path belongs to: "honours[2]" → "honours",
 * "unavailable[0].to" → "unavailable".
 */
export function formField(path: string): string {
  const m = /^[^.[]+/.exec(path)
  return m ? m[0] : path
}

/**
 * `aliases` renames the server's fields where a form calls them otherwise (the password change
 * form's "new_password" is the server's "password" once the length rules are checked).
 */
export function splitErrors(
  error: unknown,
  shown: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): SplitErrors {
  if (!(error instanceof ApiError)) return { fields: {}, general: String(error) }
  const fields: Record<string, string> = {}
  const rest: string[] = []
  const all = error.errors.length > 0 ? error.errors : [{ code: error.code, message: error.message, field: error.field }]
  for (const e of all) {
    const path = e.field ? formField(e.field) : ''
    const field = aliases[path] ?? path
    if (field && shown.includes(field)) {
      if (!(field in fields)) fields[field] = e.message
    } else if (!rest.includes(e.message)) {
      rest.push(e.message)
    }
  }
  return { fields, general: rest.join('；') }
}
