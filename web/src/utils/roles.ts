// Roles by rank, as the server orders them (src/domain/access.hpp): an account may grant only
// roles at or below its own, and may edit only accounts whose role it could grant.
import type { Role } from '@/api'

const RANK: Record<Role, number> = { merchant: -1, viewer: 0, requester: 1, lecturer: 2, organiser: 3, admin: 4 }

/** The roles `granter` may give, highest first. */
export function grantableRoles(granter: Role): Role[] {
  return (Object.keys(RANK) as Role[]).filter((r) => RANK[r] <= RANK[granter]).sort((a, b) => RANK[b] - RANK[a])
}

/** Whether `granter` may give the role `role` (and so edit an account that holds it). */
export function canGrant(granter: Role, role: Role): boolean {
  return RANK[role] <= RANK[granter]
}
