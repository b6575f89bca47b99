// The pages behind the menu, and the permission each needs. The router and the menu are both
// built from this table, so a page cannot be in the menu for a role that the router would refuse.
import type { Component } from 'vue'
import { Calendar, DataAnalysis, Document, Flag, Grid, HomeFilled, List, Notebook, OfficeBuilding, Present, Promotion, Reading, Shop, Ticket, Tickets, Upload, User } from '@element-plus/icons-vue'
import type { Me, Permission } from '@/api'

export type PageKey =
  | 'home'
  | 'agenda'
  | 'dashboard'
  | 'coverage'
  | 'campaigns'
  | 'orders'
  | 'dispatch'
  | 'lecturers'
  | 'sessions'
  | 'organisations'
  | 'accounts'
  | 'dictionaries'
  | 'audit'
  | 'imports'
  | 'care'
  | 'vouchers'
  | 'redeem'

/** Menu groups: pages without a group stand at the top level. */
export type MenuGroup = 'admin'

export interface NavPage {
  key: PageKey
  path: string
  /** null: every signed-in account */
  permission: Permission | null
  icon: Component
  group?: MenuGroup
  /** Only for an account linked to a lecturer (a lecturer's own pages). */
  lecturer?: boolean
  /** Not for a lecturer's account, whose figures are their own lectures (覆盖情况). */
  staff?: boolean
  /** Only for a merchant's till (role merchant): other roles are tied to no merchant. */
  till?: boolean
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
    // The lecturer's own page: their engagements, replies, records and calendar link.
    key: 'agenda',
    path: 'agenda',
    permission: 'orders.read',
    lecturer: true,
    icon: Calendar,
    component: () => import('@/pages/agenda/AgendaPage.vue'),
  },
  {
    // Every role reads sessions: staff see their subtree, a lecturer their own figures.
    key: 'dashboard',
    path: 'dashboard',
    permission: 'sessions.read',
    icon: DataAnalysis,
    component: () => import('@/pages/dashboard/DashboardPage.vue'),
  },
  {
    // 覆盖情况: gaps by place and week or month and by audience group, for those who read the
    // figures of a subtree or a union (a lecturer's own figures have no places to compare).
    key: 'coverage',
    path: 'coverage',
    permission: 'sessions.read',
    staff: true,
    icon: Grid,
    component: () => import('@/pages/coverage/CoveragePage.vue'),
  },
  {
    // 宣讲活动: everyone who reads campaigns sees the lists; campaigns.write creates and edits.
    key: 'campaigns',
    path: 'campaigns',
    permission: 'campaigns.read',
    icon: Flag,
    component: () => import('@/pages/campaigns/CampaignsPage.vue'),
  },
  {
    key: 'orders',
    path: 'orders',
    permission: 'orders.read',
    icon: List,
    component: () => import('@/pages/orders/OrdersPage.vue'),
  },
  {
    key: 'dispatch',
    path: 'dispatch',
    permission: 'orders.dispatch',
    icon: Promotion,
    component: () => import('@/pages/dispatch/DispatchPage.vue'),
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
  {
    // 导入: lecturers, organisations and past sessions from a spreadsheet (organisers, admins).
    key: 'imports',
    path: 'imports',
    permission: 'lecturers.write',
    icon: Upload,
    component: () => import('@/pages/imports/ImportsPage.vue'),
  },
  {
    // 送温暖/帮扶项目 (issue 16): programmes, allocations, visits, report and ledger.
    key: 'care',
    path: 'care',
    permission: 'care.read',
    icon: Present,
    component: () => import('@/pages/care/programmes/CareProgrammesPage.vue'),
  },
  {
    // 电子消费券 (issue 16 point 5): batches, issuing, merchants, redemptions.
    key: 'vouchers',
    path: 'vouchers',
    permission: 'care.read',
    icon: Ticket,
    component: () => import('@/pages/care/vouchers/VouchersPage.vue'),
  },
  {
    // 核销: a merchant's till, phone first; the one page of an account of role merchant.
    key: 'redeem',
    path: 'redeem',
    permission: 'voucher.redeem',
    till: true,
    icon: Shop,
    component: () => import('@/pages/care/redeem/RedeemPage.vue'),
  },
  {
    key: 'accounts',
    path: 'accounts',
    permission: 'accounts.read',
    icon: User,
    group: 'admin',
    component: () => import('@/pages/accounts/AccountsPage.vue'),
  },
  {
    // Everyone reads dictionaries (through the lists that use them); editing them is the page.
    key: 'dictionaries',
    path: 'dictionaries',
    permission: 'dictionaries.write',
    icon: Notebook,
    group: 'admin',
    component: () => import('@/pages/dictionaries/DictionariesPage.vue'),
  },
  {
    key: 'audit',
    path: 'audit',
    permission: 'audit.read',
    icon: Document,
    group: 'admin',
    component: () => import('@/pages/audit/AuditPage.vue'),
  },
]

/** Pages reached from a menu page (a record, a form): not in the menu, same permission rule. */
export interface SubPage {
  name: string
  path: string
  permission: Permission
  /** the menu entry to highlight */
  menu: PageKey
  /** i18n key of the title */
  title: string
  component: () => Promise<Component>
}

export const SUB_PAGES: readonly SubPage[] = [
  {
    // 报道导入 (issue 18): lectures read out of a news report, reviewed, then saved.
    name: 'report-import',
    path: 'imports/reports',
    permission: 'sessions.write',
    menu: 'imports',
    title: 'reportImport.title',
    component: () => import('@/pages/reportimport/ReportImportPage.vue'),
  },
  {
    name: 'order-new',
    path: 'orders/new',
    permission: 'orders.write',
    menu: 'orders',
    title: 'orderForm.createTitle',
    component: () => import('@/pages/orders/OrderFormPage.vue'),
  },
  {
    name: 'order',
    path: 'orders/:id(\\d+)',
    permission: 'orders.read',
    menu: 'orders',
    title: 'orderDetail.title',
    component: () => import('@/pages/orders/OrderDetailPage.vue'),
  },
  {
    name: 'order-edit',
    path: 'orders/:id(\\d+)/edit',
    permission: 'orders.write',
    menu: 'orders',
    title: 'orderEdit.title',
    component: () => import('@/pages/orders/OrderFormPage.vue'),
  },
  {
    name: 'lecturer-new',
    path: 'lecturers/new',
    permission: 'lecturers.write',
    menu: 'lecturers',
    title: 'lecturerForm.createTitle',
    component: () => import('@/pages/lecturer-form/LecturerFormPage.vue'),
  },
  {
    // 宣讲员排行: the ranking with its formula (issue 15 point 3).
    name: 'lecturer-ranking',
    path: 'lecturers/ranking',
    permission: 'lecturers.read',
    menu: 'lecturers',
    title: 'scorecard.rankingTitle',
    component: () => import('@/pages/lecturer-ranking/LecturerRankingPage.vue'),
  },
  {
    name: 'lecturer',
    path: 'lecturers/:id(\\d+)',
    permission: 'lecturers.read',
    menu: 'lecturers',
    title: 'lecturerProfile.title',
    component: () => import('@/pages/lecturer-profile/LecturerProfilePage.vue'),
  },
  {
    name: 'lecturer-edit',
    path: 'lecturers/:id(\\d+)/edit',
    permission: 'lecturers.write',
    menu: 'lecturers',
    title: 'lecturerForm.editTitle',
    component: () => import('@/pages/lecturer-form/LecturerFormPage.vue'),
  },
  {
    // 记录宣讲: one lecture nobody ordered, or the venues of one tour day.
    name: 'session-new',
    path: 'sessions/new',
    permission: 'sessions.write',
    menu: 'sessions',
    title: 'sessionForm.createTitle',
    component: () => import('@/pages/session-form/SessionFormPage.vue'),
  },
  {
    name: 'session-edit',
    path: 'sessions/:id(\\d+)/edit',
    permission: 'sessions.write',
    menu: 'sessions',
    title: 'sessionForm.editTitle',
    component: () => import('@/pages/session-form/SessionFormPage.vue'),
  },
  {
    name: 'session',
    path: 'sessions/:id(\\d+)',
    permission: 'sessions.read',
    menu: 'sessions',
    title: 'sessionDetail.title',
    component: () => import('@/pages/session-detail/SessionDetailPage.vue'),
  },
  {
    name: 'care-programme',
    path: 'care/:id(\\d+)',
    permission: 'care.read',
    menu: 'care',
    title: 'care.title',
    component: () => import('@/pages/care/programme/CareProgrammePage.vue'),
  },
  {
    name: 'care-visit',
    path: 'care/:id(\\d+)/visit',
    permission: 'care.write',
    menu: 'care',
    title: 'care.visit.title',
    component: () => import('@/pages/care/visit/CareVisitPage.vue'),
  },
  {
    name: 'care-report',
    path: 'care/:id(\\d+)/report',
    permission: 'care.read',
    menu: 'care',
    title: 'care.report.title',
    component: () => import('@/pages/care/report/CareReportPage.vue'),
  },
  {
    name: 'care-ledger',
    path: 'care/:id(\\d+)/ledger',
    permission: 'care.read',
    menu: 'care',
    title: 'care.ledger.title',
    component: () => import('@/pages/care/ledger/CareLedgerPage.vue'),
  },
  {
    name: 'voucher-batch',
    path: 'vouchers/:id(\\d+)',
    permission: 'care.read',
    menu: 'vouchers',
    title: 'vouchers.batch.title',
    component: () => import('@/pages/care/voucher-batch/VoucherBatchPage.vue'),
  },
]

/** The menu pages of an account; `me` decides the lecturer's own pages (left out without it). */
export function allowedPages(can: (p: Permission) => boolean, me?: Pick<Me, 'lecturer_id'> & Partial<Pick<Me, 'role'>> | null): NavPage[] {
  return NAV_PAGES.filter(
    (p) =>
      (p.permission === null || can(p.permission)) &&
      (!p.lecturer || (me?.lecturer_id ?? null) !== null) &&
      (!p.staff || me?.role !== 'lecturer') &&
      (!p.till || me?.role === 'merchant') &&
      (p.key !== 'home' || me?.role !== 'merchant'),
  )
}
