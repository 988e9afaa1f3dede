import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { brotliCompressSync } from 'zlib';
import {
  fieldPathOf,
  hasOpenApiSchema,
  likelyField,
  NEWEST_OPENAPI_RELEASE,
  OPENAPI_RELEASES,
  OPENAPI_SCHEMA_SOURCE,
  openApiProblems,
  openApiReleaseFor,
  readSchemaStore,
} from '../../lib/k8s/openapi-schema';

const ROOT = path.join(__dirname, '..', '..');

describe('the OpenAPI schema store', () => {
  it('matches its manifest (digest, releases, kinds), with the provenance of each release', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-openapi-bundle.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^openapi store up to date \(v1\.23, v1\.24, .*, v1\.35, v1\.36; \d+ distinct definitions, \d+ bytes\)/,
    );
    expect(run.status).toBe(0);
    expect(OPENAPI_RELEASES).toEqual([23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36].map((m) => `v1.${m}`));
    expect(NEWEST_OPENAPI_RELEASE).toBe('v1.36');
    expect(OPENAPI_SCHEMA_SOURCE.license).toMatch(/^Apache-2\.0/);
    const sources = fs.readFileSync(path.join(ROOT, 'schemas', 'SOURCES.tsv'), 'utf8');
    expect(sources).toContain('v1.34\tkubernetes-sigs/kubectl-validate\t');
    expect(sources).toContain('v1.36\tkubernetes-client/python\t');
  });

  it('stays small: every release in under 100 KB', () => {
    expect(fs.statSync(path.join(ROOT, 'schemas', 'kubernetes-openapi.json.br')).size).toBeLessThan(100_000);
  });

  it('refuses a damaged or foreign store with the file and what to do', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-store-'));
    try {
      const garbage = path.join(dir, 'garbage.br');
      fs.writeFileSync(garbage, 'not brotli at all');
      expect(() => readSchemaStore(garbage)).toThrow(
        new RegExp(`^cannot read the OpenAPI schemas in ${garbage.replace(/[.]/g, '[.]')}: .*; reinstall bulwark$`),
      );
      const foreign = path.join(dir, 'foreign.br');
      fs.writeFileSync(foreign, brotliCompressSync(Buffer.from(JSON.stringify({ definitions: [], releases: {} }))));
      expect(() => readSchemaStore(foreign)).toThrow(
        `cannot read the OpenAPI schemas in ${foreign}: not the schema store of ${OPENAPI_RELEASES.join(', ')}; reinstall bulwark`,
      );
      expect(() => readSchemaStore(path.join(dir, 'missing.br'))).toThrow(
        /^cannot read the OpenAPI schemas in .*missing\.br: ENOENT/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OpenAPI schema check', () => {
  it('resolves a Kubernetes minor to its release, latest to the newest, and refuses others with the list', () => {
    expect(openApiReleaseFor(undefined)).toBe('v1.36');
    expect(openApiReleaseFor(23)).toBe('v1.23');
    expect(() => openApiReleaseFor(37)).toThrow(
      /^no OpenAPI schemas of Kubernetes v1\.37 for the schema rules: bulwark has v1\.23 to v1\.36 \(v1\.23, v1\.24, /,
    );
  });

  it('knows built-in kinds of served versions only, per release', () => {
    expect(hasOpenApiSchema('apps/v1', 'Deployment')).toBe(true);
    expect(hasOpenApiSchema('v1', 'Service')).toBe(true);
    expect(hasOpenApiSchema('example.com/v1', 'Widget')).toBe(false);
    expect(openApiProblems({ apiVersion: 'example.com/v1', kind: 'Widget' })).toBeUndefined();
    // resource.k8s.io/v1 (DRA) is served from 1.34 on.
    expect(hasOpenApiSchema('resource.k8s.io/v1', 'ResourceClaim', 'v1.33')).toBe(false);
    expect(hasOpenApiSchema('resource.k8s.io/v1', 'ResourceClaim', 'v1.34')).toBe(true);
  });

  it('reports types, required fields and unknown fields at their field paths; null is unset', () => {
    expect(
      openApiProblems({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'api', creationTimestamp: null },
        spec: { type: null, ports: [{ port: '80', targetPort: 'http', nodeport: 30080 }] },
      }),
    ).toEqual({
      invalid: [{ path: 'spec.ports[0].port', message: 'must be integer' }],
      unknown: [{ path: 'spec.ports[0].nodeport', message: 'unknown field "nodeport", did you mean "nodePort"?' }],
    });
    expect(fieldPathOf('/metadata/annotations/example.com~1key')).toBe('metadata.annotations.example.com/key');
    expect(fieldPathOf('')).toBe('');
  });

  it('takes integers and strings for IntOrString and numbers for quantities, before 1.27 as after', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        strategy: { rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
        template: {
          spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1, memory: '1Gi' } } }] },
        },
      },
    };
    for (const release of ['v1.23', 'v1.26', 'v1.27', 'v1.35', NEWEST_OPENAPI_RELEASE]) {
      expect([release, openApiProblems(deployment, release)]).toEqual([release, { invalid: [], unknown: [] }]);
    }
  });

  it('suggests the field an unknown one most likely meant, and nothing far off', () => {
    expect(likelyField('runAsNonroot', ['runAsUser', 'runAsNonRoot'])).toBe('runAsNonRoot');
    expect(likelyField('lables', ['labels', 'annotations'])).toBe('labels');
    expect(likelyField('imagePullSecret', ['imagePullSecrets', 'image'])).toBe('imagePullSecrets');
    expect(likelyField('colour', ['labels', 'annotations'])).toBeUndefined();
  });
});
