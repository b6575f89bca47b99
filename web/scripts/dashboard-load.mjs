#!/usr/bin/env node
// How long the dashboard takes to show its charts: from navigation (a fresh browser context, so
// nothing cached) to every chart drawn (each chart box says data-rendered="1") with the KPI
// cards on screen. Prints each run and the median. Not a test: it asserts nothing.
// XJ_WARM=1 measures a returning user instead: one context, its cache primed by a first visit
// that is not counted, then a full page load of /dashboard per run (the assets are immutable).
// Usage: node scripts/dashboard-load.mjs <base-url> <user> <password> [runs=7] [screenshot.png]
// e.g.   xuanjiang serve --db demo.db --port 18080 --web web/dist &
//        node scripts/dashboard-load.mjs http://127.0.0.1:18080 organiser <password> 7
import { createRequire } from 'node:module'

const { chromium } = createRequire(import.meta.url)('playwright-core')
const [base, user, password, runsArg, shot] = process.argv.slice(2)
if (!base || !user || !password) {
  console.error('usage: node scripts/dashboard-load.mjs <base-url> <user> <password> [runs] [screenshot.png]')
  process.exit(2)
}
const runs = Number(runsArg ?? 7)
const browser = await chromium.launch({
  executablePath: process.env.XJ_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
})
const times = []
const kpis = []
try {
  const warm = process.env.XJ_WARM === '1'
  const open = async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', baseURL: base })
    // Sign in through the API (the cookie lands in the context), then open the dashboard cold.
    const login = await context.request.post('/api/v1/auth/login', { data: { username: user, password } })
    if (!login.ok()) throw new Error(`login answered ${login.status()}`)
    // The app asks /auth/me only when this browser was signed in before (a localStorage hint).
    await context.addInitScript(() => localStorage.setItem('xj.signedIn', '1'))
    return context
  }
  const shared = warm ? await open() : null
  if (shared) {
    const first = await shared.newPage()
    await first.goto('/dashboard')
    await first.locator('[data-testid="kpi-sessions"]').waitFor()
    await first.close()
  }
  for (let i = 0; i < runs; i += 1) {
    const context = shared ?? (await open())
    const page = await context.newPage()
    page.on('console', (m) => m.type() === 'error' && console.error(`console: ${m.text()}`))
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`))
    const t0 = Date.now()
    await page.goto('/dashboard')
    await page.locator('[data-testid="kpi-sessions"]').waitFor()
    const kpi = Date.now() - t0
    await page.waitForFunction(() => {
      const boxes = [...document.querySelectorAll('[data-rendered]')]
      return boxes.length >= 5 && boxes.every((b) => b.getAttribute('data-rendered') === '1')
    })
    const ms = Date.now() - t0
    times.push(ms)
    kpis.push(kpi)
    console.log(`run ${i + 1}: figures ${kpi} ms, charts ${ms} ms`)
    if (shot && i === runs - 1) await page.screenshot({ path: shot, fullPage: true })
    if (shared) await page.close()
    else await context.close()
  }
} finally {
  await browser.close()
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const sorted = [...times].sort((a, b) => a - b)
console.log(`figures shown: median ${median(kpis)} ms; charts drawn: median ${median(times)} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms over ${runs} runs`)
