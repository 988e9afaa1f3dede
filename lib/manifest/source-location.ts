/** Where an object was read from: the file and line, or the cdk8s construct that produced it. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line of the document's start (of the List item, for an object read from a List's items). */
  readonly line?: number;
  /** Index of the document in its file, 0-based, as kubectl's reader cuts the file at `---` lines. */
  readonly document?: number;
  /** Index of the object in its List's `items`, when it was read from one. */
  readonly item?: number;
  /** The cdk8s construct that produced the object, for findings raised at synth time. */
  readonly constructPath?: string;
}
