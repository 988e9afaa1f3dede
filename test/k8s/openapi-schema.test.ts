import { spawnSync } from 'child_process';
import * as path from 'path';
import { fieldPathOf, hasOpenApiSchema, OPENAPI_SCHEMA_SOURCE, openApiProblems } from '../../lib/k8s/openapi-schema';

const ROOT = path.join(__dirname, '..', '..');

describe('the generated OpenAPI schema bundle', () => {
  it('is what the generator makes from the installed kubernetes-models (drift check)', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-openapi-bundle.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^openapi bundle up to date \(235 kinds, \d+ bytes\)/);
    expect(run.status).toBe(0);
    expect(OPENAPI_SCHEMA_SOURCE).toEqual({ kubernetes: 'v1.34', source: 'kubernetes-models@5.1.0' });
  });

  it('knows built-in kinds of served versions only', () => {
    expect(hasOpenApiSchema('apps/v1', 'Deployment')).toBe(true);
    expect(hasOpenApiSchema('v1', 'Service')).toBe(true);
    expect(hasOpenApiSchema('example.com/v1', 'Widget')).toBe(false);
    expect(openApiProblems({ apiVersion: 'example.com/v1', kind: 'Widget' })).toBeUndefined();
  });

  it('reports types, enums and required fields at their field paths', () => {
    expect(
      openApiProblems({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'api' },
        spec: { type: 'Public', ports: [{ port: '80' }] },
      }),
    ).toEqual([
      { path: 'spec.ports[0].port', message: 'must be integer' },
      { path: 'spec.type', message: 'must be one of "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' },
    ]);
    expect(fieldPathOf('/metadata/annotations/example.com~1key')).toBe('metadata.annotations.example.com/key');
    expect(fieldPathOf('')).toBe('');
  });
});
