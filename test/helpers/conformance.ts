import * as path from 'path';

/**
 * The upstream kubernetes/pod-security-admission fixtures, vendored in the repository (provenance and license in
 * test/conformance/README.md): testdata/<level>/<version>/<pass|fail>/<check><n>.yaml.
 */
export const PSS_TESTDATA = path.join(__dirname, '..', 'conformance', 'pod-security-admission', 'testdata');
