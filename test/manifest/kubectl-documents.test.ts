import fc from 'fast-check';
import { chunkOfText, cutKubectlText, splitKubectlDocuments } from '../../lib/manifest/kubectl-documents';

/** The cut of the text, as chunks (bytes and first line), or undefined when the text is left to the byte cut. */
function cutAsChunks(text: string): { text: string; line: number }[] | undefined {
  return cutKubectlText(text)?.map((d) => {
    const c = chunkOfText(text, d);
    expect(d.lines).toBe(Buffer.from(c.bytes).toString('utf8').split('\n').length - 1);
    return { text: Buffer.from(c.bytes).toString('utf8'), line: c.line };
  });
}

function splitAsChunks(text: string): { chunks: { text: string; line: number }[]; error: boolean } {
  const { chunks, error } = splitKubectlDocuments(new Uint8Array(Buffer.from(text, 'utf8')));
  return { chunks: chunks.map((c) => ({ text: Buffer.from(c.bytes).toString('utf8'), line: c.line })), error: !!error };
}

describe('cutKubectlText', () => {
  it('cuts text into the documents kubectl cuts its bytes into, with their first lines', () => {
    const text = '\n# c\na: 1\n---\n---\nb: 2\n--- # comment\nc: 3\n---   \n\nd: 4';
    expect(cutAsChunks(text)).toEqual([
      { text: '\n# c\na: 1\n', line: 1 },
      { text: '---\nb: 2\n', line: 5 },
      { text: 'c: 3\n', line: 8 },
      { text: '\nd: 4\n', line: 10 },
    ]);
    expect(cutAsChunks(text)).toEqual(splitAsChunks(text).chunks);
    expect(cutAsChunks('')).toEqual([]);
    expect(cutAsChunks('---\n')).toEqual(splitAsChunks('---\n').chunks);
  });

  it('leaves line ends, byte order marks and separators with more after them to the byte cut', () => {
    expect(cutKubectlText('a: 1\r\n---\r\nb: 2\r\n')).toBeUndefined();
    expect(cutKubectlText('\ufeffa: 1\n')).toBeUndefined();
    expect(cutKubectlText('a: 1\n--- b\n')).toBeUndefined();
    expect(cutKubectlText('a: 1\n---\u00a0\n')).toBeUndefined();
    expect(splitAsChunks('a: 1\n--- b\n').error).toBe(true);
  });

  it('agrees with the byte cut on random streams of separators, comments, blank and content lines', () => {
    const line = fc.constantFrom(
      '---',
      '--- ',
      '---  # x',
      '---#x',
      '--- x',
      '----',
      ' ---',
      '',
      '  ',
      '# c',
      'a: 1',
      '- b',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (ls, finalNewline) => {
        const text = ls.join('\n') + (finalNewline && ls.length > 0 ? '\n' : '');
        const cut = cutAsChunks(text);
        const split = splitAsChunks(text);
        if (split.error) expect(cut).toBeUndefined();
        if (cut !== undefined) expect({ text, cut }).toEqual({ text, cut: split.chunks });
        else expect(ls.some((l) => /^--- *[^ #]/.test(l))).toBe(true);
      }),
      { numRuns: 1500, seed: 16 },
    );
  });
});
