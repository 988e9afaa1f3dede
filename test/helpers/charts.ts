import { App, Chart, Testing } from 'cdk8s';

export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const IMAGE = `ghcr.io/acme/api@${DIGEST}`;

/** A chart in namespace `shop` of a fresh test app. */
export function shopChart(namespace = 'shop'): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'shop', { namespace }) };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read synthesized JSON freely */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: any };
  [k: string]: any;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

export function find(objects: Manifest[], kind: string, name?: string): Manifest {
  const hit = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!hit)
    throw new Error(
      `no ${kind}${name ? ` ${name}` : ''} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  return hit;
}

/** Runs `fn` and returns the message of the error it throws (fails the test when it throws none). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}
