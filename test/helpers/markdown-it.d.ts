// The part of markdown-it (a CommonMark renderer, devDependency) the report tests use; it ships no types.
declare module 'markdown-it' {
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    render(source: string): string;
  }
}
