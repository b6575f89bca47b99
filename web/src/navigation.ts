// The pages behind the menu, and the permission each needs. The router and the menu are both
// built from this table, so a page cannot be in the menu for a role that the router would refuse.
import type { Component } from 'vue'
import { HomeFilled, OfficeBuilding, Reading, Tickets } from '@element-plus/icons-vue'
import type { Permission } from '@/api'

export type PageKey = 'home' | 'lecturers' | 'sessions' | 'organisations'

export interface NavPage {
  key: PageKey
  path: string
  /** null: every signed-in account */
  permission: Permission | null
  icon: Component
  component: () => Promise<Component>
}

export const NAV_PAGES: readonly NavPage[] = [
  {
    key: 'home',
    path: '',
    permission: null,
    icon: HomeFilled,
    component: () => import('@/pages/home/HomePage.vue'),
  },
  {
    key: 'lecturers',
    path: 'lecturers',
    permission: 'lecturers.read',
    icon: Reading,
    component: () => import('@/pages/lecturers/LecturersPage.vue'),
  },
  {
    key: 'sessions',
    path: 'sessions',
    permission: 'sessions.read',
    icon: Tickets,
    component: () => import('@/pages/sessions/SessionsPage.vue'),
  },
  {
    key: 'organisations',
    path: 'organisations',
    permission: 'organisations.read',
    icon: OfficeBuilding,
    component: () => import('@/pages/organisations/OrganisationsPage.vue'),
  },
]

export function allowedPages(can: (p: Permission) => boolean): NavPage[] {
  return NAV_PAGES.filter((p) => p.permission === null || can(p.permission))
}
