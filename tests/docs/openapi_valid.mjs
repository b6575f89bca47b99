#!/usr/bin/env node
// docs/openapi.yaml must be a valid OpenAPI 3 description, not merely YAML: an unquoted comma
// inside a flow mapping (`{ description: a, b }`) still parses, but as a bogus key, and clients
// generated from the file would be wrong. The validator (a devDependency of web/, so that one
// `npm ci` there covers it) checks the document against the OpenAPI 3.0 JSON Schema.
// Usage: node tests/docs/openapi_valid.mjs [FILE]   (exit 0 valid, 1 invalid, 2 cannot run)
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const file = resolve(process.argv[2] || join(repo, 'docs', 'openapi.yaml'))
const require = createRequire(join(repo, 'web', 'package.json'))
let Validator
try {
  ;({ Validator } = await import(require.resolve('@seriousme/openapi-schema-validator')))
} catch (e) {
  console.error(`cannot load the validator (run \`npm ci\` in web/ first): ${e.message}`)
  process.exit(2)
}
const result = await new Validator().validate(file)
if (result.valid) {
  console.log(`${file}: valid OpenAPI 3`)
  process.exit(0)
}
for (const e of [].concat(result.errors ?? [])) {
  const extra = e.params?.additionalProperty ? ` (${JSON.stringify(e.params.additionalProperty)})` : ''
  console.error(`${e.instancePath || '/'}: ${e.message}${extra}`)
}
process.exit(1)
