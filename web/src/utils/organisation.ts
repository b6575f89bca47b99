// Where an organisation may sit in the union tree, mirroring the server's level_fits_under
// (src/domain/validation.cpp), so that the form offers only placements the server accepts.
import { ORGANISATION_LEVELS, type OrganisationLevel } from '@/api'

export function levelFitsUnder(child: OrganisationLevel, parent: OrganisationLevel): boolean {
  switch (child) {
    case 'province':
      return false
    case 'league':
      return parent === 'province'
    case 'county':
      return parent === 'league'
    case 'industry':
      return parent === 'province' || parent === 'league' || parent === 'county'
    case 'grassroots':
      return true // 基层工会 sit under any level, 分工会 under a 基层工会
  }
}

/** The levels an organisation under `parent` may have, in the tree's order. */
export function childLevels(parent: OrganisationLevel): OrganisationLevel[] {
  return ORGANISATION_LEVELS.filter((l) => levelFitsUnder(l, parent))
}

/** GB/T 4754 sections, the values of an organisation's or a session's industry. */
export const INDUSTRY_SECTIONS: readonly string[] = 'ABCDEFGHIJKLMNOPQRST'.split('')
