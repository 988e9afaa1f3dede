import { App, Chart } from 'cdk8s';
import { BulwarkAdmissionPolicies } from '../lib';
import { buildBoutique } from './apps/boutique';
import { buildShop } from './apps/shop';

/** The cluster-wide part: the catalog's pod rules as ValidatingAdmissionPolicies (Kubernetes >= 1.30). */
export function buildPlatform(app: App): void {
  const platform = new Chart(app, 'platform');
  new BulwarkAdmissionPolicies(platform, 'admission', { pssVersion: 'v1.30' });
}

/** Every example app of the repo, in one cdk8s App. `bulwark synth` and `cdk8s synth` both build this. */
export function build(app: App): void {
  buildPlatform(app);
  buildShop(app);
  buildBoutique(app);
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
  build(app);
  app.synth();
}
