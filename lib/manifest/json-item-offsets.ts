const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Offsets where the elements of the top-level object's `items` array start, in JSON text already known to be valid
 * (`JSON.parse` gives values but no positions; this gives List items their line numbers without a second parse).
 * Returns an empty array when the top-level value is not an object with an `items` array.
 */
export function jsonItemOffsets(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let depth = 0;
  let expectKey = false;
  let lastKey: string | undefined;
  let inItems = false;
  let awaitingItem = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isJsonSpace(c) || c === 58 /* : */) continue;
    if (awaitingItem && depth === 2 && c !== RBRACKET) {
      out.push(i);
      awaitingItem = false;
    }
    switch (c) {
      case QUOTE: {
        let j = i + 1;
        for (;;) {
          j = text.indexOf('"', j);
          if (j === -1) return out;
          let k = j - 1;
          while (text.charCodeAt(k) === BACKSLASH) k--;
          if ((j - 1 - k) % 2 === 0) break;
          j++;
        }
        if (depth === 1 && expectKey) {
          lastKey = text.slice(i + 1, j);
          expectKey = false;
        }
        i = j;
        break;
      }
      case LBRACE:
      case LBRACKET:
        depth++;
        if (depth === 1) expectKey = c === LBRACE;
        else if (depth === 2 && c === LBRACKET && lastKey === 'items') {
          inItems = true;
          awaitingItem = true;
        }
        break;
      case RBRACE:
      case RBRACKET:
        if (inItems && depth === 2) return out;
        depth--;
        break;
      case COMMA:
        if (depth === 1) {
          expectKey = true;
          lastKey = undefined;
        } else if (inItems && depth === 2) awaitingItem = true;
        break;
      default:
        // numbers, true, false, null: nothing to track
        break;
    }
  }
  return out;
}
