import * as fs from 'fs';
import * as path from 'path';
import { DIGEST, runCli, tempProject } from '../helpers/temp-project';

jest.setTimeout(120_000);

// The repository's `npm run synth` runs the app through tsx, which strips types without checking them: a typo'd prop
// must still stop the synthesis, with the fix, and leave nothing written.
describe('bulwark synth (tsx, no type-check) refuses a typo’d prop', () => {
  it('exits 1 naming the construct, the prop and the fix; writes nothing', async () => {
    const project = tempProject(
      `const chart = new Chart(app, 'shop', { namespace: 'shop' });\n` +
        `new HardenedDeployment(chart, 'api', { image: 'ghcr.io/acme/api@${DIGEST}', port: 8080, memoryLimt: '1Gi' } as any);`,
    );
    const r = await runCli(['synth'], project);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bulwark synth: synthesis refused; nothing was written to dist/');
    expect(r.stderr).toContain(
      `HardenedDeployment at 'shop/api': prop 'memoryLimt' received "1Gi" (HardenedDeployment has no such prop; it would be ignored).`,
    );
    expect(r.stderr).toContain(`Fix: did you mean 'memoryLimit'? Rename 'memoryLimt' to 'memoryLimit'`);
    expect(fs.existsSync(path.join(project, 'dist'))).toBe(false);
    fs.rmSync(project, { recursive: true, force: true });
  });
});
