// The organisation list as a tree, keeping the server's (pinyin) order among siblings.
import type { Organisation } from '@/api'

export interface OrgNode {
  id: number
  label: string
  org: Organisation
  children: OrgNode[]
}

/**
 * Nests organisations by parent_id. Those whose parent is absent (the root, or the top of the
 * caller's scope) become roots.
 */
export function buildOrgTree(orgs: readonly Organisation[]): OrgNode[] {
  const nodes = new Map<number, OrgNode>()
  for (const org of orgs) nodes.set(org.id, { id: org.id, label: org.name, org, children: [] })
  const roots: OrgNode[] = []
  for (const org of orgs) {
    const node = nodes.get(org.id)!
    const parent = org.parent_id === null ? undefined : nodes.get(org.parent_id)
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
