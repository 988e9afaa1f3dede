#!/usr/bin/env bash
# Consumer test: bulwark as a user gets it. `npm pack`, then a project in a temporary folder shaped like the one
# `cdk8s init typescript-app` generates (its main.ts, tsconfig.json, jest.config.js, cdk8s.yaml and package.json
# ranges, unchanged), the tarball installed with cdk8s and constructs only, then every standard runner:
#   cdk8s synth (ts-node, type-checks; a typo'd prop must fail it), tsc then node main.js, jest + ts-jest, tsx,
#   and `npx bulwark audit` on the output. Asserts that no @pulumi package is installed and reports sizes.
# Usage: bash scripts/consumer-test.sh   (KEEP=1 keeps the temporary folder)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bulwark-consumer-XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "consumer-test: keeping $WORK"; fi
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=error

step() { printf '\n== consumer: %s\n' "$*"; }
fail() { printf 'consumer-test: FAILED: %s\n' "$*" >&2; exit 1; }
dep_version() { node -p "require('$ROOT/package.json').devDependencies['$1']"; }

step "npm pack"
tarball=$(cd "$ROOT" && npm pack --silent --pack-destination "$WORK" | tail -1)
tar tzf "$WORK/$tarball" | sed 's|^package/||' | sort >"$WORK/files.txt"
echo "$tarball: $(wc -l <"$WORK/files.txt") files, $(du -k "$WORK/$tarball" | cut -f1) kB packed"
awk -F/ '{print $1 (NF > 1 ? "/" : "")}' "$WORK/files.txt" | sort | uniq -c
if grep -Ev '^(build/.*\.(js|d\.ts)|bin/bulwark\.js|docs/.*|README\.md|LICENSE|package\.json|schemas/(kubernetes-openapi\.json(\.br)?|SOURCES\.tsv))$' "$WORK/files.txt"; then
  fail "the tarball ships files other than the build, bin, docs, the OpenAPI schema bundle, README, LICENSE and package.json (above)"
fi
if grep -E '(^|/)(test|tests|fixtures|__tests__)/|\.test\.(js|d\.ts)$' "$WORK/files.txt"; then fail "the tarball ships tests or fixtures (above)"; fi

APP="$WORK/app"
mkdir -p "$APP"
cd "$APP"
step "a project shaped like cdk8s init typescript-app"
cat >package.json <<'JSON'
{
  "name": "consumer",
  "version": "1.0.0",
  "main": "main.js",
  "types": "main.ts",
  "license": "Apache-2.0",
  "private": true,
  "scripts": {
    "synth": "cdk8s synth",
    "compile": "tsc --build",
    "test": "jest"
  }
}
JSON
# tsconfig.json, jest.config.js and cdk8s.yaml as the cdk8s-cli typescript-app template writes them.
cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "alwaysStrict": true,
    "declaration": true,
    "experimentalDecorators": true,
    "inlineSourceMap": true,
    "inlineSources": true,
    "lib": ["es2016"],
    "module": "CommonJS",
    "noEmit": false,
    "noEmitOnError": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitAny": true,
    "noImplicitReturns": true,
    "noImplicitThis": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "resolveJsonModule": true,
    "strict": true,
    "strictNullChecks": true,
    "strictPropertyInitialization": true,
    "stripInternal": true,
    "target": "ES2017"
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules"]
}
JSON
cat >jest.config.js <<'JS'
module.exports = {
    "roots": [
        "<rootDir>"
    ],
    moduleFileExtensions: ["ts", "tsx", "js", "mjs", "cjs", "jsx", "json", "node"],
    testMatch: [ '**/*.test.ts'],
    "transform": {
        "^.+\\.tsx?$": "ts-jest"
    },
}
JS
cat >cdk8s.yaml <<'YAML'
language: typescript
app: npx ts-node main.ts
YAML
cat >main.ts <<'TS'
import { Construct } from 'constructs';
import { App, Chart, ChartProps } from 'cdk8s';
import { DefaultDenyNamespace, HardenedDeployment } from 'bulwark';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, { namespace: 'shop', ...props });

    new DefaultDenyNamespace(this, 'ns', { name: 'shop' });
    new HardenedDeployment(this, 'api', {
      image: 'ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      port: 8080,
      memoryLimit: '256Mi',
    });
  }
}

const app = new App();
new MyChart(app, 'shop');
app.synth();
TS
cat >main.test.ts <<'TS'
import {MyChart} from './main';
import {Testing} from 'cdk8s';

describe('Placeholder', () => {
  test('Empty', () => {
    const app = Testing.app();
    const chart = new MyChart(app, 'test-chart');
    const results = Testing.synth(chart)
    expect(results).toMatchSnapshot();
  });
});
TS

step "install the tarball with cdk8s and constructs only (what a constructs-only project installs)"
npm install --save "$WORK/$tarball" "cdk8s@$(dep_version cdk8s)" "constructs@$(dep_version constructs)"
[ ! -e node_modules/@pulumi ] || fail "node_modules/@pulumi exists in a constructs-only install: $(ls node_modules/@pulumi)"
echo "no node_modules/@pulumi"
size=$(du -sk node_modules | cut -f1)
echo "installed size, constructs only: $((size / 1024)) MB ($(ls node_modules | wc -l) top-level entries: $(ls node_modules | tr '\n' ' '))"
npm ls --all --parseable 2>/dev/null | grep -c node_modules | sed 's/^/packages installed: /'
node -e '
  const fs = require("fs"), path = require("path");
  const found = [];
  (function walk(dir) {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const p = path.join(dir, e);
      if (e.startsWith("@")) { walk(p); continue; }
      const pj = path.join(p, "package.json");
      if (!fs.existsSync(pj)) continue;
      const s = JSON.parse(fs.readFileSync(pj, "utf8")).scripts || {};
      if (s.preinstall || s.install || s.postinstall) found.push(e);
      walk(path.join(p, "node_modules"));
    }
  })("node_modules");
  console.log(`packages with install scripts: ${found.join(", ") || "none"}`);
'
node -e "console.log('cdk8s copies loaded by the app and by bulwark: one ->', require.resolve('cdk8s') === require.resolve('cdk8s', { paths: [require.resolve('bulwark')] }))"

step "a cluster entry point without its Pulumi SDKs names what to install"
if out=$(node -e "require('bulwark/eks')" 2>&1); then fail "require('bulwark/eks') succeeded without @pulumi/aws"; fi
echo "$out" | grep -F 'bulwark/eks needs the Pulumi SDKs @pulumi/pulumi, @pulumi/aws, @pulumi/kubernetes' ||
  fail "unexpected error: $out"

step "the template's dev tools (cdk8s-cli, typescript 5.9, ts-node, jest + ts-jest, @types/node ^14), and tsx"
npm install --save-dev cdk8s-cli "typescript@5.9.x" "ts-node@^10" "jest@^29" "ts-jest@^29" "@types/jest@^29" "@types/node@^14" "tsx@$(dep_version tsx)"
[ ! -e node_modules/@pulumi ] || fail "node_modules/@pulumi exists after installing the dev tools"
echo "still no node_modules/@pulumi; typescript $(npx tsc --version)"

step "runner 1: cdk8s synth (app: npx ts-node main.ts)"
npx cdk8s synth --no-check-upgrade
ls dist
grep -q 'kind: Deployment' dist/shop.k8s.yaml || fail "cdk8s synth wrote no Deployment"
cp dist/shop.k8s.yaml "$WORK/synth-ts-node.yaml"

step "runner 1b: a typo'd prop (memoryLimt) fails cdk8s synth"
cp main.ts "$WORK/main.ts.good"
sed -i 's/memoryLimit:/memoryLimt:/' main.ts
if out=$(npx cdk8s synth --no-check-upgrade 2>&1); then fail "cdk8s synth accepted memoryLimt"; fi
echo "$out" | grep -E "memoryLimt" | head -3
echo "$out" | grep -q "Object literal may only specify known properties" || fail "the typo failed for another reason: $out"
cp "$WORK/main.ts.good" main.ts

step "runner 2: tsc (npm run compile), then node main.js"
rm -rf dist
npm run compile --silent
node main.js
cmp dist/shop.k8s.yaml "$WORK/synth-ts-node.yaml" && echo "node main.js wrote the same manifests as cdk8s synth"
rm -f main.js main.d.ts main.test.js main.test.d.ts

step "runner 3: jest + ts-jest (the template's config)"
npx jest --ci=false
npx jest --ci
echo "snapshot written, then matched under --ci"

step "runner 4: tsx"
rm -rf dist
npx tsx main.ts
cmp dist/shop.k8s.yaml "$WORK/synth-ts-node.yaml" && echo "tsx wrote the same manifests as cdk8s synth"

step "runner 4b: a typo'd prop (memoryLimt) under tsx, which does not type-check, is refused at run time"
sed -i 's/memoryLimit:/memoryLimt:/' main.ts
rm -rf dist
if out=$(npx tsx main.ts 2>&1); then fail "tsx accepted memoryLimt"; fi
echo "$out" | grep -F "prop 'memoryLimt' received" || fail "the typo failed for another reason: $out"
echo "$out" | grep -qF "Fix: did you mean 'memoryLimit'?" || fail "no fix offered: $out"
[ ! -e dist ] || fail "tsx wrote dist/ although the app was refused"
cp "$WORK/main.ts.good" main.ts
npx tsx main.ts

step "npx bulwark audit on the output"
npx bulwark audit dist/
npx bulwark audit --format json dist/ | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(`audit json: ${JSON.stringify(r.summary ?? Object.keys(r))}`)'
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n' >"$WORK/bad.yaml"
if npx bulwark audit "$WORK/bad.yaml" >"$WORK/bad.out"; then fail "bulwark audit passed a privileged pod"; fi
echo "a privileged pod fails the audit ($(grep -c . "$WORK/bad.out") lines of findings)"

step "a team's own rule: bulwark rules test and bulwark audit --rules (TypeScript compiled by the project's typescript)"
mkdir -p policies/team-owner-label/fixtures/pass policies/team-owner-label/fixtures/fail
cat >policies/team-owner-label/check.ts <<'TS'
import { policy } from 'bulwark';

export const teamOwnerLabel = policy.defineRule({
  id: 'team-owner-label',
  title: 'Workloads name their owning team',
  severity: 'error',
  group: 'workload',
  scope: 'object',
  kinds: ['Deployment'],
  references: { owasp: ['K05'], nsa: ['Logging and monitoring'] },
  remediation: 'Add the label example.com/owner: <team> so alerts reach the owners.',
  check(object) {
    return object.metadata?.labels?.['example.com/owner'] ? [] : [{ message: 'no example.com/owner label', path: 'metadata.labels' }];
  },
});
TS
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  labels: {example.com/owner: shop}\n' >policies/team-owner-label/fixtures/pass/owned.yaml
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n' >policies/team-owner-label/fixtures/fail/unowned.yaml
npx bulwark rules test policies
if npx bulwark audit --rules policies --only team-owner-label dist/ >"$WORK/team.out"; then fail "the team's rule passed an unlabelled Deployment"; fi
grep -F "team-owner-label" "$WORK/team.out" || fail "no finding of the team's rule: $(cat "$WORK/team.out")"
echo '{ "rules": ["policies"] }' >bulwark.config.json
if npx bulwark audit --only team-owner-label dist/ >/dev/null; then fail "bulwark.config.json's rules were not run"; fi
rm bulwark.config.json

step "sizes"
echo "installed size with the template's dev tools: $(($(du -sk node_modules | cut -f1) / 1024)) MB"
echo "consumer-test: all runners passed"
