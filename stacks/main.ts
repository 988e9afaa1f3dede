import { App } from 'cdk8s';
import { buildShop } from './apps/shop';

/** Every example app of the repo, in one cdk8s App. `bulwark synth` and `cdk8s synth` both build this. */
export function build(app: App): void {
  buildShop(app);
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
  build(app);
  app.synth();
}
