import { annotationsSize, TOTAL_ANNOTATION_SIZE_LIMIT } from '../../lib/k8s/annotation-size';
import { apiFieldProblems } from '../../lib/k8s/api-field-rules';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../../lib/k8s/dns-names';
import { isEnvVarName } from '../../lib/k8s/env-var-name';
import { ingressPathProblem, safeIngressPathProblem } from '../../lib/k8s/ingress-path';
import { isValidLabelValue } from '../../lib/k8s/label-value';
import { isValidPortName } from '../../lib/k8s/port-name';
import { qualifiedNameProblem } from '../../lib/k8s/qualified-name';
import { timeZoneProblem } from '../../lib/k8s/time-zone';

// Good and bad values from apimachinery's pkg/util/validation/validation_test.go (TestIsDNS1123Label, ...).
describe('apimachinery name rules', () => {
  it('DNS-1123 labels', () => {
    for (const ok of [
      'a',
      'ab',
      'abc',
      'a1',
      'a-1',
      'a--1--2--b',
      '0',
      '01',
      '012',
      '1a',
      '1-a',
      '1--a--b--2',
      'a'.repeat(63),
    ]) {
      expect([ok, isDns1123Label(ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      '',
      'A',
      'ABC',
      'aBc',
      'A1',
      'A-1',
      '1-A',
      '-',
      'a-',
      '-a',
      '1-',
      '-1',
      '_',
      'a_',
      '_a',
      'a_b',
      '.',
      'a.',
      '.a',
      'a.b',
      '1.2',
      'a'.repeat(64),
    ]) {
      expect([bad, isDns1123Label(bad)]).toEqual([bad, false]);
    }
  });

  it('DNS-1123 subdomains', () => {
    for (const ok of [
      'a',
      'a.b.c.d.e',
      'aa.bb.cc',
      'a1.b2.c3',
      '0.a',
      '11.22.33.44.55',
      `${'a'.repeat(63)}.${'b'.repeat(63)}`,
    ]) {
      expect([ok, isDns1123Subdomain(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['', 'A', 'a.B', 'a..b', '.a', 'a.', 'a._.b', 'a.-.b', 'a_b', 'a'.repeat(254)]) {
      expect([bad, isDns1123Subdomain(bad)]).toEqual([bad, false]);
    }
  });

  it('DNS-1035 labels (Service names) start with a letter', () => {
    for (const ok of ['a', 'ab', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)]) expect(isDns1035Label(ok)).toBe(true);
    for (const bad of ['0', '01', '1a', '1api', '-', 'a-', 'A', 'a.b', 'a'.repeat(64)]) {
      expect([bad, isDns1035Label(bad)]).toEqual([bad, false]);
    }
  });

  it('qualified names (label and annotation keys)', () => {
    for (const ok of [
      'simple',
      'now-with-dashes',
      '1-starts-with-num',
      '1234',
      'simple/simple',
      'now-with-dashes/simple',
      'now-with-dashes/now-with-dashes',
      'now.with.dots/simple',
      'now-with.dashes-and.dots/simple',
      '1-num.2-num/3-num',
      '1234/5678',
      '1.2.3.4/5678',
      'Uppercase_Is_OK_123',
      'example.com/Uppercase_Is_OK_123',
      'requests.storage-foo',
      'a'.repeat(63),
      `${'a'.repeat(253)}/${'b'.repeat(63)}`,
    ]) {
      expect([ok, qualifiedNameProblem(ok)]).toEqual([ok, undefined]);
    }
    expect(qualifiedNameProblem('/simple')).toBe('the prefix before / is empty');
    expect(qualifiedNameProblem('simple/')).toBe('the name part is empty');
    expect(qualifiedNameProblem('a/b/c')).toBe("more than one '/'");
    expect(qualifiedNameProblem('Caps.Prefix/name')).toBe('the prefix before / is not a DNS-1123 subdomain');
    expect(qualifiedNameProblem('a'.repeat(64))).toBe('the name part is longer than 63');
    for (const bad of [
      'nospecialchars%^=@',
      'cantendwithadash-',
      '-cantstartwithadash-',
      'only/one/slash',
      'Example.com/abc',
      'example_com/abc',
      'example.com/',
      '*',
    ]) {
      expect([bad, qualifiedNameProblem(bad)]).not.toEqual([bad, undefined]);
    }
  });

  it('label values', () => {
    for (const ok of ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), '']) {
      expect([ok, isValidLabelValue(ok)]).toEqual([ok, true]);
    }
    for (const bad of [
      'nospecialchars%^=@',
      'Tama-nui-te-rā.is.Māori.sun',
      '\\backslashes\\are\\bad',
      '-starts-with-dash',
      'ends-with-dash-',
      '.starts.with.dot',
      'ends.with.dot.',
      'a'.repeat(64),
    ]) {
      expect([bad, isValidLabelValue(bad)]).toEqual([bad, false]);
    }
  });

  it('port names (IANA_SVC_NAME)', () => {
    for (const ok of ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'])
      expect(isValidPortName(ok)).toBe(true);
    for (const bad of [
      '',
      'longerthan15characters',
      'longerthan15char',
      'telnet--',
      '-telnet',
      'telnet-',
      '--telnet',
      'te--lnet',
      'TELNET',
      '1234',
      'a_b',
    ]) {
      expect([bad, isValidPortName(bad)]).toEqual([bad, false]);
    }
  });

  it('environment variable names', () => {
    for (const ok of ['A', 'ABC', 'AbC_123', 'abc', 'a.b', '_abc', 'a-b', '.a']) expect(isEnvVarName(ok)).toBe(true);
    for (const bad of ['', '1', '123', '1ab', 'a=b', 'a b', 'a$b'])
      expect([bad, isEnvVarName(bad)]).toEqual([bad, false]);
  });

  it('ingress paths, as the API server and as ingress controllers read them', () => {
    expect(ingressPathProblem('/a;}')).toBeUndefined(); // the API server accepts it ...
    expect(safeIngressPathProblem('/a;}')).toMatch(/^has characters other than/); // ... bulwark does not
    expect(ingressPathProblem('//')).toBe("must not contain '//'");
    expect(ingressPathProblem('/a/./b')).toBe("must not contain '/./'");
    expect(ingressPathProblem('/a/../b')).toBe("must not contain '/../'");
    expect(ingressPathProblem('/a%2fb')).toBe("must not contain '%2f'");
    expect(ingressPathProblem('/..')).toBe("cannot end with '/..'");
    expect(ingressPathProblem('/a/.')).toBe("cannot end with '/.'");
    expect(ingressPathProblem('api')).toBe('must be an absolute path');
    expect(safeIngressPathProblem('/a\nb')).toMatch(/^has characters other than/);
    for (const ok of ['/', '/api', '/api/v1.0/', '/a-b_c~d']) expect(safeIngressPathProblem(ok)).toBeUndefined();
  });

  it('time zones', () => {
    expect(timeZoneProblem('Europe/Paris')).toBeUndefined();
    expect(timeZoneProblem('Etc/UTC')).toBeUndefined();
    expect(timeZoneProblem('')).toBe('empty');
    expect(timeZoneProblem('Local')).toBe("'Local' is the node's zone, not an explicit one");
    expect(timeZoneProblem('Mars/Olympus')).toBe('unknown to the IANA time zone database');
    expect(timeZoneProblem('America/Argentina_Buenos_Aires_X')).toBe('not an IANA time zone name');
  });

  it('annotation size counts UTF-8 bytes of keys and values', () => {
    expect(annotationsSize({ ab: 'é' })).toBe(4);
    expect(TOTAL_ANNOTATION_SIZE_LIMIT).toBe(262144);
  });
});

describe('apiFieldProblems: what the API server refuses beyond the OpenAPI schema', () => {
  const pod = (spec: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { replicas: 1, template: { metadata: { labels: { app: 'api' } }, spec } },
  });

  it('finds nothing in a valid object', () => {
    expect(
      apiFieldProblems(
        pod({ containers: [{ name: 'api', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] }),
      ),
    ).toEqual([]);
  });

  it('names the field and the reason', () => {
    expect(
      apiFieldProblems({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: '1api',
          namespace: 'shop',
          labels: { team: 'x'.repeat(64) },
          annotations: { big: 'x'.repeat(300 * 1024) },
        },
        spec: {
          ports: [
            { name: 'http', port: 0 },
            { port: 81, targetPort: 'no_such' },
          ],
        },
      }),
    ).toEqual([
      { path: 'metadata.name', message: expect.stringMatching(/^must be a DNS-1035 label/) },
      { path: 'metadata.labels.team', message: expect.stringMatching(/^a label value must be at most 63/) },
      { path: 'metadata.annotations', message: 'may not have more than 256 KiB in total (307203 bytes)' },
      { path: 'spec.ports[0].port', message: 'must be a port number from 1 to 65535' },
      { path: 'spec.ports[1].name', message: 'Required value (a Service with several ports names each)' },
      { path: 'spec.ports[1].targetPort', message: 'must be a port number from 1 to 65535 or an IANA service name' },
    ]);
    expect(
      apiFieldProblems(
        pod({
          volumes: [{ name: 'tmp', emptyDir: {} }],
          containers: [
            {
              name: 'api',
              env: [{ name: '1X', value: 'y' }],
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              readinessProbe: { periodSeconds: -5, tcpSocket: { port: 0 } },
            },
          ],
        }),
      ).map((p) => `${p.path}: ${p.message}`),
    ).toEqual([
      'spec.template.spec.containers[0].env[0].name: must be a valid environment variable name',
      'spec.template.spec.containers[0].volumeMounts[1].mountPath: must be unique',
      'spec.template.spec.containers[0].readinessProbe.periodSeconds: must be greater than or equal to 0 (int32)',
      'spec.template.spec.containers[0].readinessProbe.tcpSocket.port: must be a port number from 1 to 65535',
    ]);
    expect(
      apiFieldProblems({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'a'.repeat(53) },
        spec: { schedule: '99 99 99 99 99', timeZone: 'Local' },
      }),
    ).toEqual([
      { path: 'metadata.name', message: expect.stringMatching(/^must be a DNS-1123 subdomain of at most 52/) },
      { path: 'spec.schedule', message: 'end of range (99) above maximum (59): 99' },
      { path: 'spec.timeZone', message: `unknown time zone "Local": 'Local' is the node's zone, not an explicit one` },
    ]);
    expect(
      apiFieldProblems({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'a' },
        spec: { replicas: 2 ** 31 },
      }),
    ).toEqual([{ path: 'spec.replicas', message: 'must be an integer from 0 to 2147483647 (int32)' }]);
    expect(
      apiFieldProblems({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web' },
        spec: {
          rules: [
            {
              host: '10.0.0.1',
              http: {
                paths: [
                  { path: '/..', pathType: 'Prefix' },
                  { path: '/a;}', pathType: 'ImplementationSpecific' },
                ],
              },
            },
          ],
        },
      }),
    ).toEqual([
      { path: 'spec.rules[0].host', message: 'must be a DNS name, not an IP address' },
      { path: 'spec.rules[0].http.paths[0].path', message: "cannot end with '/..'" },
    ]);
  });
});
