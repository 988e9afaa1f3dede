import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** A hardening property in a component's SDK input, and the misspelling a person could make of it. */
const TYPOS = [
  {
    file: 'lib/cluster/aks/aks-node-pool.ts',
    correct: 'enableEncryptionAtHost: true,',
    typo: 'enableEncryptionAtHosts: true,',
    message:
      "Object literal may only specify known properties, but 'enableEncryptionAtHosts' does not exist in type 'ManagedClusterAgentPoolProfileArgs'. Did you mean to write 'enableEncryptionAtHost'?",
  },
  {
    file: 'lib/cluster/aks/aks-disk-encryption.ts',
    correct: 'rotationToLatestKeyVersionEnabled: true,',
    typo: 'rotationToLatestKeyVersionEnable: true,',
    message:
      "Object literal may only specify known properties, but 'rotationToLatestKeyVersionEnable' does not exist in type 'DiskEncryptionSetArgs'. Did you mean to write 'rotationToLatestKeyVersionEnabled'?",
  },
  {
    file: 'lib/cluster/eks/eks-node-group.ts',
    correct: "httpTokens: 'required',",
    typo: "httpToken: 'required',",
    message:
      "Object literal may only specify known properties, and 'httpToken' does not exist in type 'LaunchTemplateMetadataOptions | Promise<LaunchTemplateMetadataOptions | undefined> | OutputInstance<LaunchTemplateMetadataOptions | undefined>'.",
  },
  {
    file: 'lib/cluster/gke/gke-node-pool.ts',
    correct: 'enableSecureBoot: true,',
    typo: 'enableSecureBot: true,',
    message:
      "Object literal may only specify known properties, and 'enableSecureBot' does not exist in type 'NodePoolNodeConfigShieldedInstanceConfig | Promise<NodePoolNodeConfigShieldedInstanceConfig | undefined> | OutputInstance<...>'.",
  },
];

/** Type-checks the given files with the project's compiler options, serving `replace`d text for them. */
function diagnostics(files: readonly string[], replace: (file: string, text: string) => string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('tsconfig.json not readable');
  const roots = files.map((f) => path.join(ROOT, f));
  const host = ts.createCompilerHost({ ...config.options, noEmit: true });
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => {
    const text = readFile(name);
    const rel = path.relative(ROOT, name).split(path.sep).join('/');
    return text !== undefined && files.includes(rel) ? replace(rel, text) : text;
  };
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, fresh) => {
    const rel = path.relative(ROOT, name).split(path.sep).join('/');
    if (!files.includes(rel)) return getSourceFile(name, lang, onError, fresh);
    return ts.createSourceFile(name, host.readFile(name) ?? '', lang);
  };
  const program = ts.createProgram({ rootNames: roots, options: { ...config.options, noEmit: true }, host });
  return roots.flatMap((r) =>
    [
      ...program.getSemanticDiagnostics(program.getSourceFile(r)),
      ...program.getSyntacticDiagnostics(program.getSourceFile(r)),
    ].map((d) => `${path.relative(ROOT, r)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
  );
}

describe("cluster components build SDK inputs with the SDK's own argument types", () => {
  const files = TYPOS.map((t) => t.file);

  it('each hardening property named in the test is in the component source as written', () => {
    for (const t of TYPOS) expect(fs.readFileSync(path.join(ROOT, t.file), 'utf8')).toContain(t.correct);
  });

  it('type-checks the components as they are', () => {
    expect(diagnostics(files, (_f, text) => text)).toEqual([]);
  }, 180_000);

  it('fails tsc on a misspelt hardening property, naming the SDK type (and the right spelling where TypeScript finds it)', () => {
    const misspelt = diagnostics(files, (f, text) => {
      const t = TYPOS.find((x) => x.file === f);
      return t ? text.replace(t.correct, t.typo) : text;
    });
    expect(misspelt).toEqual(TYPOS.map((t) => `${t.file}: ${t.message}`));
  }, 180_000);
});
